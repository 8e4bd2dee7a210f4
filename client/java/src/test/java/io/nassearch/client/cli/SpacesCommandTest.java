package io.nassearch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.grpc.Status;
import io.nassearch.api.v1.SearchSpaceInfo;
import io.nassearch.client.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpacesCommandTest extends CliTestBase {
  @BeforeEach
  void scriptSpaces() {
    service.onSpaces = r -> TestData.spaces();
  }

  @Test
  void printsATable() {
    assertEquals(0, cli.spaces());

    assertEquals(
        "ID          SIZE  WIDTH  TABLE  OBJECTIVES        COLUMNS  DESCRIPTION\n"
            + "nb201      15625     30  yes    cifar10_valid +1        2  NAS-Bench-201 cell space\n"
            + "toy    unbounded      4  no     -                       0  unbounded toy space\n",
        cli.out());
  }

  @Test
  void linesAreCutToTheWidthAndOneSpaceShowsEverything() {
    List<io.nassearch.client.SpaceInfo> spaces =
        TestData.spaces().getSpacesList().stream()
            .map(io.nassearch.client.SpaceInfo::fromProto)
            .toList();
    String table = Views.spacesTable(spaces, 50);
    assertTrue(table.lines().allMatch(l -> l.length() <= 50), table);
    assertTrue(table.lines().skip(1).allMatch(l -> l.endsWith("...")), table);

    assertEquals(0, cli.spaces("nb201"));
    assertTrue(cli.out().contains("objectives:   cifar10_valid cifar100_valid\n"), cli.out());
    assertTrue(cli.out().contains("columns:      lat_ms_pixel3 params_cifar10\n"), cli.out());
    assertEquals(2, cli.spaces("nope"));
    assertTrue(
        cli.err().contains("Unknown search space 'nope'; known spaces: [nb201, toy]"), cli.err());
  }

  @Test
  void printsOneJsonObjectPerSpace() throws Exception {
    assertEquals(0, cli.spaces("--json"));

    List<SearchSpaceInfo> parsed = new ArrayList<>();
    for (String line : cli.out().lines().toList()) {
      SearchSpaceInfo.Builder b = SearchSpaceInfo.newBuilder();
      JsonFormat.parser().merge(line, b);
      parsed.add(b.build());
    }
    assertEquals(TestData.spaces().getSpacesList(), parsed);
  }

  @Test
  void unimplementedServerExitsFour() {
    service.onSpaces =
        r -> {
          throw Status.UNIMPLEMENTED.withDescription("not here").asRuntimeException();
        };

    assertEquals(ExitCodes.SERVER_ERROR, cli.spaces());
    assertEquals("error: UNIMPLEMENTED: not here\n", cli.err());
  }
}

package io.nassearch.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        "ID          SIZE  WIDTH  TABLE  OBJECTIVES                    DESCRIPTION\n"
            + "nb201      15625     30  yes    cifar10_valid,cifar100_valid  NAS-Bench-201 cell space\n"
            + "toy    unbounded      4  no                                   unbounded toy space\n",
        cli.out());
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

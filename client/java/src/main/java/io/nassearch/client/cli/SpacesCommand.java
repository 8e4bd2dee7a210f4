package io.nassearch.client.cli;

import io.nassearch.client.NasClient;
import io.nassearch.client.SpaceInfo;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code spaces}: lists the search spaces the coordinator serves. */
@Command(
    name = "spaces",
    mixinStandardHelpOptions = true,
    description = {
      "List the search spaces the coordinator serves.",
      "With an ID, everything about that space: its objectives and the table columns a cost, constraints and",
      "descriptors may name. Lines fit the terminal (env COLUMNS, else 100 characters)."
    })
public class SpacesCommand extends ClientCommand {
  private final ClientFactory clients;

  public SpacesCommand() {
    this(ClientFactory.DEFAULT);
  }

  SpacesCommand(ClientFactory clients) {
    this.clients = clients;
  }

  @Override
  ClientFactory clientFactory() {
    return clients;
  }

  @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "One space's id.")
  String id;

  @Override
  int run(NasClient client, PrintWriter out) {
    List<SpaceInfo> spaces = client.spaces();
    int width = terminalWidth();
    if (id != null) {
      SpaceInfo one =
          spaces.stream()
              .filter(s -> s.id().equals(id))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "Unknown search space '"
                              + id
                              + "'; known spaces: "
                              + spaces.stream().map(SpaceInfo::id).toList()));
      print(out, List.of(one.toProto()), text -> text.print(Views.spaceDetails(one, width)));
      return ExitCodes.OK;
    }
    print(
        out,
        spaces.stream().map(SpaceInfo::toProto).toList(),
        text -> text.print(Views.spacesTable(spaces, width)));
    return ExitCodes.OK;
  }

  private static int terminalWidth() {
    try {
      return Math.max(40, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100").trim()));
    } catch (NumberFormatException e) {
      return 100;
    }
  }
}

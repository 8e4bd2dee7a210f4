package io.nassearch.client.cli;

import io.nassearch.client.NasClient;
import io.nassearch.client.SpaceInfo;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code spaces}: lists the search spaces the coordinator serves. */
@Command(
    name = "spaces",
    mixinStandardHelpOptions = true,
    description = "List the search spaces the coordinator serves.")
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

  @Override
  int run(NasClient client, PrintWriter out) {
    List<SpaceInfo> spaces = client.spaces();
    print(
        out,
        spaces.stream().map(SpaceInfo::toProto).toList(),
        text -> text.print(Views.spacesTable(spaces)));
    return ExitCodes.OK;
  }
}

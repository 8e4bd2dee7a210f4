package io.nassearch.client.cli;

import io.nassearch.client.testing.InProcessGrpc;
import io.nassearch.client.testing.RecordingSearchService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A CLI test: commands run against a scripted search service served in process. */
abstract class CliTestBase {
  @RegisterExtension final InProcessGrpc grpc = new InProcessGrpc();

  final RecordingSearchService service = new RecordingSearchService();
  CliHarness cli;

  @BeforeEach
  void startCli() {
    cli = new CliHarness(grpc.serve(service));
  }
}

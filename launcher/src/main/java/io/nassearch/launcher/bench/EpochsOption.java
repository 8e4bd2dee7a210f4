package io.nassearch.launcher.bench;

import io.nassearch.worker.surrogate.SurrogateConfig;
import picocli.CommandLine.Option;

/** {@code --epochs}: overrides the surrogate's training epochs in a bench. */
final class EpochsOption {
  @Option(names = "--epochs", description = "Override the surrogate's training epochs.")
  Integer epochs;

  /** The config with the overridden epochs, if --epochs was given. */
  SurrogateConfig applyTo(SurrogateConfig config) {
    return epochs == null ? config : config.with(s -> s.setMaxEpochs(epochs));
  }
}

package io.nassearch.launcher.bench;

import io.nassearch.worker.surrogate.SurrogateRuntime;
import io.nassearch.worker.surrogate.SurrogateTrainer;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The model the scoring benches measure: the default surrogate trained on {@code --training-size}
 * rows of the NB201 table in {@code --data-dir}, labelled by cifar10_valid.
 */
final class BenchModelOptions {
  @Option(
      names = "--training-size",
      defaultValue = "500",
      description =
          "Architectures the benchmarked model is trained on (default: ${DEFAULT-VALUE}).")
  int trainingSize;

  @Option(names = "--data-dir", description = "Benchmark data directory.")
  Path dataDir;

  Nb201Data loadData() {
    return new Nb201Data(Optional.ofNullable(dataDir), "cifar10_valid");
  }

  SurrogateTrainer.TrainingOutcome train(Nb201Data data, SurrogateRuntime runtime) {
    return data.trainBenchModel(trainingSize, runtime);
  }
}

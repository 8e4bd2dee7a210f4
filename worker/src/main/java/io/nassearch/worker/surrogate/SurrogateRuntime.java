package io.nassearch.worker.surrogate;

import org.tensorflow.proto.ConfigProto;

/**
 * TensorFlow session threading for one surrogate. Each session owns its thread pools, so two models
 * never share (or resize) each other's pools. Scores are bitwise reproducible for equal thread
 * settings.
 *
 * <p>TensorFlow's C++ logging level is read from the environment variable {@code
 * TF_CPP_MIN_LOG_LEVEL} when the native library loads; Java cannot set it for its own process, so
 * the launcher exports it (e.g. 2 = warnings off).
 */
public record SurrogateRuntime(int intraOpThreads, int interOpThreads, boolean gpuAllowed) {
  /** TensorFlow picks the device: a visible GPU, else the CPU. */
  public SurrogateRuntime(int intraOpThreads, int interOpThreads) {
    this(intraOpThreads, interOpThreads, true);
  }

  public SurrogateRuntime {
    if (intraOpThreads < 1 || intraOpThreads > 1024) {
      throw new IllegalArgumentException(
          "intraOpThreads must be in 1..1024, got " + intraOpThreads);
    }
    if (interOpThreads < 1 || interOpThreads > 1024) {
      throw new IllegalArgumentException(
          "interOpThreads must be in 1..1024, got " + interOpThreads);
    }
  }

  /**
   * One thread per op and one op at a time: the cheapest and most predictable setting for small
   * MLPs.
   */
  public static SurrogateRuntime singleThreaded() {
    return new SurrogateRuntime(1, 1);
  }

  /**
   * The same threads, with GPUs hidden from the session (a worker told to use the CPU on a GPU
   * host).
   */
  public SurrogateRuntime cpuOnly() {
    return new SurrogateRuntime(intraOpThreads, interOpThreads, false);
  }

  ConfigProto toConfigProto() {
    ConfigProto.Builder config =
        ConfigProto.newBuilder()
            .setIntraOpParallelismThreads(intraOpThreads)
            .setInterOpParallelismThreads(interOpThreads)
            .setUsePerSessionThreads(true)
            .setAllowSoftPlacement(true);
    if (!gpuAllowed) {
      config.putDeviceCount("GPU", 0);
    }
    return config.build();
  }
}

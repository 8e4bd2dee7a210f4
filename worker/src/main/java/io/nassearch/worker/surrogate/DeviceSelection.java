package io.nassearch.worker.surrogate;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a worker scores on, from its {@code --device} request and the devices TensorFlow sees:
 * {@code auto} (default) and {@code gpu} take the first GPU when there is one and fall back to the
 * CPU otherwise; {@code cpu} hides GPUs from the sessions.
 *
 * @param description sent in Hello and used for the metrics' device tag, e.g. {@code gpu:GPU:0
 *     (139.8 GiB)}
 * @param gpu whether sessions may place ops on a GPU
 * @param explanation one line for the log saying what was chosen and why
 */
public record DeviceSelection(String description, boolean gpu, String explanation) {
  /** Resolves {@code requested} against the devices TensorFlow lists; {@code cpu} skips asking. */
  public static DeviceSelection resolve(String requested) {
    boolean cpu = requested != null && requested.strip().equalsIgnoreCase("cpu");
    return resolve(requested, cpu ? List.of() : ComputeDevices.visible());
  }

  public static DeviceSelection resolve(String requested, List<ComputeDevices.Device> visible) {
    String r = requested == null ? "auto" : requested.strip().toLowerCase(Locale.ROOT);
    if (r.equals("cpu")) {
      return new DeviceSelection("cpu", false, "scoring on the CPU (--device cpu)");
    }
    if (!r.equals("auto") && !r.equals("gpu") && !r.startsWith("gpu:")) {
      throw new IllegalArgumentException(
          "--device must be auto, cpu or gpu, got '" + requested + "'");
    }
    Optional<ComputeDevices.Device> gpu =
        visible.stream().filter(ComputeDevices.Device::isGpu).findFirst();
    if (gpu.isPresent()) {
      return new DeviceSelection(
          gpu.get().describe(),
          true,
          "scoring on "
              + gpu.get().describe().substring(4)
              + " ("
              + visible.stream().filter(ComputeDevices.Device::isGpu).count()
              + " GPU(s) visible)");
    }
    String why =
        "no GPU visible to TensorFlow (CPU natives, or the gpu build without a CUDA device or driver)";
    return new DeviceSelection(
        "cpu",
        false,
        (r.equals("auto") ? "" : "asked for a GPU, but ") + why + "; scoring on the CPU");
  }

  /**
   * {@code runtime} as sessions on this selection need it: unchanged for a GPU, with GPUs hidden
   * otherwise.
   */
  public SurrogateRuntime apply(SurrogateRuntime runtime) {
    return gpu ? runtime : runtime.cpuOnly();
  }
}

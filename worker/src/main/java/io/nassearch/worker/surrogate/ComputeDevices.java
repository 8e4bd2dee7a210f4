package io.nassearch.worker.surrogate;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListMemoryBytes;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;

/**
 * The devices TensorFlow can run on in this process, as its session lists them: always the CPU,
 * plus each GPU when the GPU natives are on the class path (the {@code gpu} build profile) and CUDA
 * finds a device.
 */
public final class ComputeDevices {
  /**
   * One device: type {@code CPU} or {@code GPU}, TensorFlow's name, memory in bytes (0 when
   * unknown).
   */
  public record Device(String type, String name, long memoryBytes) {
    public boolean isGpu() {
      return "GPU".equalsIgnoreCase(type);
    }

    /** Short form for Hello and logs, e.g. {@code gpu:GPU:0 (139.8 GiB)} or {@code cpu}. */
    public String describe() {
      if (!isGpu()) {
        return "cpu";
      }
      String shortName =
          name.contains("device:") ? name.substring(name.indexOf("device:") + 7) : name;
      return String.format(
          Locale.ROOT, "gpu:%s (%.1f GiB)", shortName, memoryBytes / (double) (1L << 30));
    }
  }

  private ComputeDevices() {}

  /**
   * Lists the devices of a fresh session; throws IllegalStateException when TensorFlow reports an
   * error.
   */
  public static List<Device> visible() {
    TensorFlow.version(); // loads the native library
    TF_Status status = TF_NewStatus();
    TF_Graph graph = TF_NewGraph();
    TF_SessionOptions options = TF_NewSessionOptions();
    TF_Session session = null;
    TF_DeviceList list = null;
    try {
      session = TF_NewSession(graph, options, status);
      check(status, "open a session");
      list = TF_SessionListDevices(session, status);
      check(status, "list devices");
      List<Device> devices = new ArrayList<>();
      for (int i = 0; i < TF_DeviceListCount(list); i++) {
        String type = TF_DeviceListType(list, i, status).getString();
        String name = TF_DeviceListName(list, i, status).getString();
        long memory = TF_DeviceListMemoryBytes(list, i, status);
        check(status, "describe device " + i);
        devices.add(new Device(type, name, memory));
      }
      return devices;
    } finally {
      if (list != null) {
        TF_DeleteDeviceList(list);
      }
      if (session != null) {
        TF_CloseSession(session, status);
        TF_DeleteSession(session, status);
      }
      TF_DeleteSessionOptions(options);
      TF_DeleteGraph(graph);
      TF_DeleteStatus(status);
    }
  }

  /** The first GPU TensorFlow sees, if any. */
  public static Optional<Device> firstGpu() {
    return visible().stream().filter(Device::isGpu).findFirst();
  }

  private static void check(TF_Status status, String what) {
    if (TF_GetCode(status) != 0) {
      throw new IllegalStateException(
          "TensorFlow could not " + what + ": " + TF_Message(status).getString());
    }
  }
}

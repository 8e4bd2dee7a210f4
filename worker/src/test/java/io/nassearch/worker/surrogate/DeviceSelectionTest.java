package io.nassearch.worker.surrogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceSelectionTest {
  private static final ComputeDevices.Device CPU =
      new ComputeDevices.Device("CPU", "/job:localhost/replica:0/task:0/device:CPU:0", 268435456);
  private static final ComputeDevices.Device GPU =
      new ComputeDevices.Device("GPU", "/job:localhost/replica:0/task:0/device:GPU:0", 150L << 30);

  @Test
  void theCpuBuildSeesItsCpuAndNoGpu() {
    List<ComputeDevices.Device> devices = ComputeDevices.visible();
    assertTrue(devices.stream().anyMatch(d -> d.type().equals("CPU")), devices.toString());
    if (System.getenv("NAS_EXPECT_GPU") == null) {
      assertTrue(ComputeDevices.firstGpu().isEmpty(), devices.toString());
    } else {
      assertTrue(ComputeDevices.firstGpu().isPresent(), devices.toString());
    }
  }

  @Test
  void autoAndGpuPickTheFirstGpu() {
    for (String request : List.of("auto", "gpu", "GPU:anything")) {
      DeviceSelection s = DeviceSelection.resolve(request, List.of(CPU, GPU));
      assertTrue(s.gpu());
      assertEquals("gpu:GPU:0 (150.0 GiB)", s.description());
      assertTrue(s.explanation().startsWith("scoring on GPU:0"), s.explanation());
    }
  }

  @Test
  void fallsBackToTheCpuWithTheReason() {
    DeviceSelection auto = DeviceSelection.resolve("auto", List.of(CPU));
    assertEquals("cpu", auto.description());
    assertFalse(auto.gpu());
    assertTrue(auto.explanation().startsWith("no GPU visible to TensorFlow"), auto.explanation());
    DeviceSelection asked = DeviceSelection.resolve("gpu", List.of(CPU));
    assertFalse(asked.gpu());
    assertTrue(
        asked.explanation().startsWith("asked for a GPU, but no GPU visible"), asked.explanation());
  }

  @Test
  void cpuHidesGpusAndNonsenseIsRejected() {
    DeviceSelection cpu = DeviceSelection.resolve("cpu", List.of(CPU, GPU));
    assertFalse(cpu.gpu());
    assertEquals("cpu", cpu.description());
    assertThrows(
        IllegalArgumentException.class, () -> DeviceSelection.resolve("tpu", List.of(CPU)));
  }
}

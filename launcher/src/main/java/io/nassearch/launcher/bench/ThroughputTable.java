package io.nassearch.launcher.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The throughput bench's table: one row per mode, wire, worker count and batch size. */
final class ThroughputTable {
  private ThroughputTable() {}

  record Row(
      String mode,
      String wire,
      int workers,
      int batch,
      double candidatesPerSecond,
      double p50Ms,
      double p99Ms,
      double coordinatorCpuPerMillion,
      double workerCpuPerMillion) {}

  /** Prints the table and writes it to {@code out} as CSV when given. */
  static void print(List<Row> rows, int width, double seconds, String deviceDescription, Path out)
      throws IOException {
    System.out.printf(
        Locale.ROOT,
        "NB201 surrogate (MLP 128x3), %d-float features (coded: 16 bytes), %s s per cell, %d cores, device %s%n",
        width,
        seconds,
        Runtime.getRuntime().availableProcessors(),
        deviceDescription);
    System.out.printf(
        Locale.ROOT,
        "%-10s %-6s %7s %6s %13s %8s %8s %12s %12s %8s%n",
        "mode",
        "wire",
        "workers",
        "batch",
        "candidates/s",
        "p50 ms",
        "p99 ms",
        "coord CPU/M",
        "worker CPU/M",
        "ratio");
    StringBuilder csv =
        new StringBuilder(
            "mode,wire,workers,batch,candidates_per_second,round_trip_p50_ms,round_trip_p99_ms,"
                + "coordinator_cpu_seconds_per_million,worker_cpu_seconds_per_million,ratio_to_in_process\n");
    for (Row r : rows) {
      double ratio = r.candidatesPerSecond() / inProcessFloats(rows, r);
      System.out.printf(
          Locale.ROOT,
          "%-10s %-6s %7d %6d %13.0f %8.2f %8.2f %12.2f %12.2f %8.2f%n",
          values(r, ratio));
      csv.append(
          String.format(
              Locale.ROOT, "%s,%s,%d,%d,%.1f,%.4f,%.4f,%.4f,%.4f,%.4f%n", values(r, ratio)));
    }
    System.out.println(
        "ratio: candidates/s over in-process float scoring with as many TensorFlow threads as workers, same batch size.");
    System.out.println(
        "in-process CPU is in the worker column; coordinator CPU includes the load driver (it only submits ready batches).");
    if (out != null) {
      if (out.getParent() != null) {
        Files.createDirectories(out.getParent());
      }
      Files.writeString(out, csv);
      System.err.println("wrote " + out);
    }
  }

  /** The in-process float rate at the row's batch size and thread count, NaN if not measured. */
  private static double inProcessFloats(List<Row> rows, Row r) {
    return rows.stream()
        .filter(
            x ->
                x.mode().equals("in-process")
                    && x.batch() == r.batch()
                    && x.workers() == r.workers())
        .filter(x -> x.wire().equals("floats"))
        .mapToDouble(Row::candidatesPerSecond)
        .findFirst()
        .orElse(Double.NaN);
  }

  private static Object[] values(Row r, double ratio) {
    return new Object[] {
      r.mode(),
      r.wire(),
      r.workers(),
      r.batch(),
      r.candidatesPerSecond(),
      r.p50Ms(),
      r.p99Ms(),
      r.coordinatorCpuPerMillion(),
      r.workerCpuPerMillion(),
      ratio
    };
  }
}

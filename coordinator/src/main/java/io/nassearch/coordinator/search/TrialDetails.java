package io.nassearch.coordinator.search;

import com.google.protobuf.util.Timestamps;
import io.nassearch.api.v1.Measurement;
import io.nassearch.api.v1.Trial;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** When a trial was asked for and told (epoch millis, 0 when unknown), and its measurements. */
final class TrialDetails {
  final long askMillis;
  long tellMillis;
  boolean added;
  final NavigableMap<Long, Double> measurements = new TreeMap<>();

  TrialDetails(long askMillis) {
    this.askMillis = askMillis;
  }

  void addTo(Trial.Builder t) {
    if (askMillis > 0) {
      t.setAskTime(Timestamps.fromMillis(askMillis));
    }
    if (tellMillis > 0) {
      t.setTellTime(Timestamps.fromMillis(tellMillis));
    }
    measurements.forEach(
        (step, value) -> t.addMeasurements(Measurement.newBuilder().setStep(step).setValue(value)));
    t.setAdded(added);
  }

  void write(DataOutputStream out) throws IOException {
    out.writeLong(askMillis);
    out.writeLong(tellMillis);
    out.writeBoolean(added);
    out.writeInt(measurements.size());
    for (Map.Entry<Long, Double> m : measurements.entrySet()) {
      out.writeLong(m.getKey());
      out.writeDouble(m.getValue());
    }
  }

  static TrialDetails read(DataInputStream in) throws IOException {
    TrialDetails d = new TrialDetails(in.readLong());
    d.tellMillis = in.readLong();
    d.added = in.readBoolean();
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      d.measurements.put(in.readLong(), in.readDouble());
    }
    return d;
  }
}

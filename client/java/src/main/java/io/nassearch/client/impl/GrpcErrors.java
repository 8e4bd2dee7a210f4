package io.nassearch.client.impl;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.nassearch.client.NasClientException;
import io.nassearch.client.NasClientException.FieldViolation;
import java.util.ArrayList;
import java.util.List;

/** The one place that turns gRPC failures into {@link NasClientException}. */
public final class GrpcErrors {
  private GrpcErrors() {}

  /** Maps a failure from a stub or stream observer; a NasClientException passes through. */
  public static NasClientException toClientException(Throwable t) {
    if (t instanceof NasClientException e) {
      return e;
    }
    Status status = Status.fromThrowable(t);
    String description = status.getDescription();
    if (description == null && status.getCause() != null) {
      description = status.getCause().toString();
    }
    return new NasClientException(status.getCode(), description, fieldViolations(t), t);
  }

  private static List<FieldViolation> fieldViolations(Throwable t) {
    com.google.rpc.Status details = StatusProto.fromThrowable(t);
    if (details == null) {
      return List.of();
    }
    List<FieldViolation> violations = new ArrayList<>();
    for (Any any : details.getDetailsList()) {
      if (!any.is(BadRequest.class)) {
        continue;
      }
      try {
        for (BadRequest.FieldViolation v : any.unpack(BadRequest.class).getFieldViolationsList()) {
          violations.add(new FieldViolation(v.getField(), v.getDescription()));
        }
      } catch (InvalidProtocolBufferException e) {
        // Malformed details: keep the status itself.
      }
    }
    return violations;
  }
}

package io.nassearch.coordinator.server;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.nassearch.coordinator.algorithm.InvalidAlgorithmConfigException;
import io.nassearch.coordinator.algorithm.UnknownAlgorithmException;
import io.nassearch.coordinator.model.UnknownModelException;
import io.nassearch.coordinator.search.InvalidRequestException;
import io.nassearch.coordinator.search.LimitExceededException;
import io.nassearch.coordinator.search.NotReadyException;
import io.nassearch.coordinator.search.PreconditionFailedException;
import io.nassearch.coordinator.search.SearchNotFoundException;
import io.nassearch.coordinator.search.TrialConflictException;
import io.nassearch.coordinator.space.InvalidArchitectureException;
import io.nassearch.coordinator.space.NoSuchSpaceException;
import io.nassearch.coordinator.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that turns exceptions into gRPC statuses; services call nothing else. */
public final class GrpcErrors {
  private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

  private GrpcErrors() {}

  public static StatusRuntimeException toStatus(Throwable error) {
    if (error instanceof StatusRuntimeException s) {
      return s;
    }
    if (error instanceof io.grpc.StatusException s) {
      return s.getStatus().asRuntimeException(s.getTrailers());
    }
    if (error instanceof InvalidRequestException e) {
      return badRequest(Code.INVALID_ARGUMENT, e.field(), e.getMessage(), e.problem());
    }
    if (error instanceof LimitExceededException e) {
      return badRequest(Code.RESOURCE_EXHAUSTED, e.field(), e.getMessage(), e.problem());
    }
    if (error instanceof InvalidAlgorithmConfigException
        || error instanceof UnknownAlgorithmException) {
      String field =
          error instanceof UnknownAlgorithmException ? "spec.algorithm" : "spec.algorithm_config";
      return badRequest(Code.INVALID_ARGUMENT, field, error.getMessage(), error.getMessage());
    }
    if (error instanceof InvalidArchitectureException) {
      return badRequest(
          Code.INVALID_ARGUMENT, "architecture", error.getMessage(), error.getMessage());
    }
    if (error instanceof SearchNotFoundException
        || error instanceof NoSuchSpaceException
        || error instanceof UnknownModelException) {
      log.debug("Not found: {}", error.getMessage());
      return Status.NOT_FOUND.withDescription(error.getMessage()).asRuntimeException();
    }
    if (error instanceof PreconditionFailedException) {
      return Status.FAILED_PRECONDITION.withDescription(error.getMessage()).asRuntimeException();
    }
    if (error instanceof TrialConflictException) {
      return Status.ALREADY_EXISTS.withDescription(error.getMessage()).asRuntimeException();
    }
    if (error instanceof NotReadyException) {
      return Status.UNAVAILABLE.withDescription(error.getMessage()).asRuntimeException();
    }
    if (error instanceof StoreException e) {
      // One line naming the fault; the store logs it (rate-limited), so no stack trace here.
      log.debug("Store unavailable: {}", e.getMessage());
      return Status.UNAVAILABLE
          .withDescription("Store unavailable (" + e.fault() + "): " + e.getMessage())
          .asRuntimeException();
    }
    if (error instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return Status.CANCELLED.withDescription("Interrupted").asRuntimeException();
    }
    log.error("Expected to answer the request, but failed unexpectedly", error);
    return Status.INTERNAL
        .withDescription("Internal error: " + error.getClass().getSimpleName())
        .asRuntimeException();
  }

  private static StatusRuntimeException badRequest(
      Code code, String field, String message, String problem) {
    log.debug("Rejected request: {}", message);
    com.google.rpc.Status.Builder status =
        com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message);
    if (!field.isEmpty()) {
      status.addDetails(
          Any.pack(
              BadRequest.newBuilder()
                  .addFieldViolations(
                      BadRequest.FieldViolation.newBuilder()
                          .setField(field)
                          .setDescription(problem))
                  .build()));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }
}

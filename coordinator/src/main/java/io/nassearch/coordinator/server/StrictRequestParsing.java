package io.nassearch.coordinator.server;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.InputStream;

/**
 * Makes a request that is not a valid protobuf message fail with INVALID_ARGUMENT. By default gRPC
 * answers such bytes with UNKNOWN ("Application error processing RPC"), which reads as a server
 * bug.
 *
 * <p>How: the request marshaller catches the parse failure, remembers it in a thread-local and
 * returns the default message; gRPC hands the parsed message to the call listener on the same
 * thread right after parsing, where a wrapper sees the failure and closes the call instead of
 * passing it on.
 */
final class StrictRequestParsing {
  private static final ThreadLocal<String> PARSE_FAILURE = new ThreadLocal<>();

  private StrictRequestParsing() {}

  static ServerServiceDefinition wrap(ServerServiceDefinition service) {
    ServerServiceDefinition.Builder builder =
        ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      builder.addMethod(wrap(method));
    }
    return builder.build();
  }

  private static <Q, R> ServerMethodDefinition<Q, R> wrap(ServerMethodDefinition<Q, R> method) {
    MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
    MethodDescriptor<Q, R> strict =
        descriptor.toBuilder(lenient(descriptor), descriptor.getResponseMarshaller()).build();
    ServerCallHandler<Q, R> handler = method.getServerCallHandler();
    return ServerMethodDefinition.create(
        strict, (call, headers) -> rejectUnparsed(call, handler.startCall(call, headers)));
  }

  private static <Q, R> MethodDescriptor.Marshaller<Q> lenient(MethodDescriptor<Q, R> descriptor) {
    MethodDescriptor.Marshaller<Q> original = descriptor.getRequestMarshaller();
    if (!(original instanceof MethodDescriptor.PrototypeMarshaller<Q> proto)) {
      return original;
    }
    String type = proto.getMessagePrototype().getClass().getSimpleName();
    return new MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(Q value) {
        return original.stream(value);
      }

      @Override
      public Q parse(InputStream stream) {
        try {
          return original.parse(stream);
        } catch (RuntimeException e) {
          PARSE_FAILURE.set("The request is not a valid " + type + " message");
          return proto.getMessagePrototype();
        }
      }
    };
  }

  private static <Q, R> ServerCall.Listener<Q> rejectUnparsed(
      ServerCall<Q, R> call, ServerCall.Listener<Q> next) {
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next) {
      private boolean rejected;

      @Override
      public void onMessage(Q message) {
        String failure = PARSE_FAILURE.get();
        if (failure != null) {
          PARSE_FAILURE.remove();
          rejected = true;
          call.close(Status.INVALID_ARGUMENT.withDescription(failure), new Metadata());
          return;
        }
        if (!rejected) {
          super.onMessage(message);
        }
      }

      @Override
      public void onHalfClose() {
        if (!rejected) {
          super.onHalfClose();
        }
      }

      @Override
      public void onReady() {
        if (!rejected) {
          super.onReady();
        }
      }
    };
  }
}

package io.nassearch.client.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;

/** One proto message per line in the proto3 JSON mapping. */
public final class JsonOutput {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private JsonOutput() {}

  public static String toJson(MessageOrBuilder message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      // Only Any fields with unknown types fail; our messages have none.
      throw new IllegalStateException("Expected to print " + message.getClass() + " as JSON", e);
    }
  }

  public static void print(PrintWriter out, MessageOrBuilder message) {
    out.println(toJson(message));
    out.flush();
  }
}

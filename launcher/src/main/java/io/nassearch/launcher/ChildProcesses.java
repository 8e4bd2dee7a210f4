package io.nassearch.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code nas} subcommands started as child JVMs (demo, benchmarks), each logging to its own file.
 */
public final class ChildProcesses implements AutoCloseable {
  private final Path logDir;
  private final List<Process> children = new ArrayList<>();

  public ChildProcesses(Path logDir) {
    this.logDir = logDir;
  }

  /** Starts {@code nas <args>} with a 1 GB heap; it exits by itself when this process goes away. */
  public synchronized Process spawn(String name, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx1g");
    command.add(NasCommand.class.getName());
    command.addAll(args);
    command.add("--parent-pid");
    command.add(Long.toString(ProcessHandle.current().pid()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(logDir.resolve(name + ".log").toFile());
    // The class path goes through the environment: a long -cp would push the rest of the command
    // line
    // past what /proc shows, and past ARG_MAX on some systems.
    builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    Process p = builder.start();
    children.add(p);
    return p;
  }

  /** Throws when a child has exited, naming its log. */
  public synchronized void requireAlive() {
    for (Process p : children) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "A child process exited early (exit " + p.exitValue() + "); see its log in " + logDir);
      }
    }
  }

  /** Stops every child: SIGTERM, then SIGKILL after 10 s. */
  @Override
  public void close() {
    List<Process> all;
    synchronized (this) {
      all = new ArrayList<>(children);
      children.clear();
    }
    for (Process p : all) {
      p.destroy();
    }
    for (Process p : all) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}

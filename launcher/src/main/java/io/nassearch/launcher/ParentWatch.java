package io.nassearch.launcher;

import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --parent-pid} (hidden): ends a child process of {@code nas demo} when its parent is gone,
 * so no orphans survive a kill -9.
 */
final class ParentWatch {
  @Option(names = "--parent-pid", hidden = true, defaultValue = "0")
  long parentPid;

  /** Exits this process once the parent given by --parent-pid is gone; nothing without one. */
  void exitWhenGone() {
    if (parentPid <= 0) {
      return;
    }
    Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
    if (parent.isEmpty()) {
      System.exit(0);
    }
    Thread watcher =
        new Thread(
            () -> {
              while (parent.get().isAlive()) {
                try {
                  Thread.sleep(500);
                } catch (InterruptedException e) {
                  return;
                }
              }
              System.exit(0);
            },
            "parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }
}

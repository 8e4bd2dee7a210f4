package io.nassearch.launcher;

import java.util.Optional;

/**
 * Ends a child process of {@code nas demo} when its parent is gone, so no orphans survive a kill
 * -9.
 */
final class ParentWatch {
  private ParentWatch() {}

  static void exitWhenGone(long parentPid) {
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

package io.nassearch.coordinator.store;

/**
 * Why the store failed a call, in words an operator can act on. Transient faults (a full disk, a
 * read-only file system, a database that is down) pause the searches that need to write and clear
 * by themselves once the cause is fixed; permanent ones (a corrupt record, a broken constraint) do
 * not.
 */
public enum StoreFault {
  DISK_FULL("disk full", true),
  READ_ONLY("store is read-only", true),
  FILE_MISSING("store file deleted or replaced", true),
  UNREACHABLE("database unreachable", true),
  BUSY("database busy", true),
  IO("I/O error", true),
  CORRUPT("store corrupt", false),
  LOCKED("store held by another coordinator", false),
  OTHER("store error", false);

  private final String words;
  private final boolean transientFault;

  StoreFault(String words, boolean transientFault) {
    this.words = words;
    this.transientFault = transientFault;
  }

  /** Whether retrying later can succeed without a restart. */
  public boolean isTransient() {
    return transientFault;
  }

  @Override
  public String toString() {
    return words;
  }
}

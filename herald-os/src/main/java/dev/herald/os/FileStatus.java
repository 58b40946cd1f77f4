package dev.herald.os;

/**
 * The fields of {@code struct stat} Herald uses: which device and inode a file is, and its size.
 *
 * <pre>{@code
 * try (RegularFile file = RegularFile.openReadOnly(path)) {
 *   FileStatus st = file.status();
 *   String id = st.deviceMajor() + ":" + st.deviceMinor() + ":" + st.inode(); // as in /proc/locks
 * }
 * }</pre>
 *
 * @param device {@code st_dev}, the encoded device number
 * @param inode {@code st_ino}
 * @param mode {@code st_mode} (type and permission bits)
 * @param size {@code st_size} in bytes
 */
public record FileStatus(long device, long inode, int mode, long size) {
  /**
   * The major device number, decoded the way glibc's {@code major()} does.
   *
   * @return the major number
   */
  public long deviceMajor() {
    return ((device >>> 8) & 0xfffL) | ((device >>> 32) & ~0xfffL);
  }

  /**
   * The minor device number, decoded the way glibc's {@code minor()} does.
   *
   * @return the minor number
   */
  public long deviceMinor() {
    return (device & 0xffL) | ((device >>> 12) & ~0xffL);
  }
}

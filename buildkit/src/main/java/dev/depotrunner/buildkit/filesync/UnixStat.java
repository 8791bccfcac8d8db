package dev.depotrunner.buildkit.filesync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code lstat} fields fsutil puts into a {@code Stat}, with the conversion of {@code st_mode} to
 * Go's {@code os.FileMode} bits, which is what the wire carries.
 *
 * @param mode raw {@code st_mode}: file type and permission bits
 * @param modTimeNanos modification time in nanoseconds since the Unix epoch
 */
record UnixStat(int mode, int uid, int gid, long size, long modTimeNanos, long inode, int linkCount, long rdev) {

  private static final String ATTRIBUTES = "unix:mode,uid,gid,size,lastModifiedTime,ino,nlink,rdev";

  // st_mode file types and special bits (POSIX <sys/stat.h>).
  static final int S_IFMT = 0170000;
  static final int S_IFSOCK = 0140000;
  static final int S_IFLNK = 0120000;
  static final int S_IFREG = 0100000;
  static final int S_IFBLK = 0060000;
  static final int S_IFDIR = 0040000;
  static final int S_IFCHR = 0020000;
  static final int S_IFIFO = 0010000;
  static final int S_ISUID = 04000;
  static final int S_ISGID = 02000;
  static final int S_ISVTX = 01000;

  // Go's os.FileMode bits.
  static final int MODE_DIR = 1 << 31;
  static final int MODE_SYMLINK = 1 << 27;
  static final int MODE_DEVICE = 1 << 26;
  static final int MODE_NAMED_PIPE = 1 << 25;
  static final int MODE_SOCKET = 1 << 24;
  static final int MODE_SETUID = 1 << 23;
  static final int MODE_SETGID = 1 << 22;
  static final int MODE_CHAR_DEVICE = 1 << 21;
  static final int MODE_STICKY = 1 << 20;
  static final int MODE_IRREGULAR = 1 << 19;
  static final int MODE_TYPE =
      MODE_DIR | MODE_SYMLINK | MODE_NAMED_PIPE | MODE_SOCKET | MODE_DEVICE | MODE_CHAR_DEVICE | MODE_IRREGULAR;
  static final int MODE_PERM = 0777;

  /** Reads the entry itself, not the target of a symbolic link. */
  static UnixStat lstat(Path path) throws IOException {
    Map<String, Object> attributes = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    return new UnixStat(
        (Integer) attributes.get("mode"),
        (Integer) attributes.get("uid"),
        (Integer) attributes.get("gid"),
        (Long) attributes.get("size"),
        ((FileTime) attributes.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
        (Long) attributes.get("ino"),
        (Integer) attributes.get("nlink"),
        (Long) attributes.get("rdev"));
  }

  boolean isDirectory() {
    return (mode & S_IFMT) == S_IFDIR;
  }

  boolean isSymbolicLink() {
    return (mode & S_IFMT) == S_IFLNK;
  }

  boolean isRegularFile() {
    return (mode & S_IFMT) == S_IFREG;
  }

  /** Returns the mode as Go's {@code os.Lstat(...).Mode()} reports it (Go's {@code fillFileStatFromSys}). */
  int goFileMode() {
    int result = mode & MODE_PERM;
    switch (mode & S_IFMT) {
      case S_IFBLK -> result |= MODE_DEVICE;
      case S_IFCHR -> result |= MODE_DEVICE | MODE_CHAR_DEVICE;
      case S_IFDIR -> result |= MODE_DIR;
      case S_IFIFO -> result |= MODE_NAMED_PIPE;
      case S_IFLNK -> result |= MODE_SYMLINK;
      case S_IFSOCK -> result |= MODE_SOCKET;
      default -> {}
    }
    if ((mode & S_ISGID) != 0) {
      result |= MODE_SETGID;
    }
    if ((mode & S_ISUID) != 0) {
      result |= MODE_SETUID;
    }
    if ((mode & S_ISVTX) != 0) {
      result |= MODE_STICKY;
    }
    return result;
  }

  /**
   * Returns whether fsutil records device numbers: it tests {@code st_mode} against the block and
   * character device bits one by one, so symbolic links and sockets qualify too (with zero numbers).
   */
  boolean hasDeviceNumbers() {
    return !isDirectory() && ((mode & S_IFBLK) != 0 || (mode & S_IFCHR) != 0);
  }

  /** The major device number in the encoding fsutil uses (the Linux old-style split of {@code st_rdev}). */
  long deviceMajor() {
    return (rdev >>> 8) & 0xfff;
  }

  long deviceMinor() {
    return (rdev & 0xff) | ((rdev >>> 12) & 0xfff00);
  }

  /** Returns whether a receiver may request the content: fsutil's {@code fileCanRequestData}. */
  static boolean canRequestData(int goFileMode) {
    return (goFileMode & MODE_TYPE) == 0;
  }
}

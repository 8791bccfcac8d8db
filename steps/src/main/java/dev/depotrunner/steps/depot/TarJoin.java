package dev.depotrunner.steps.depot;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Joins the {@code tar} exports of several builders into one tarball with a folder per platform, the
 * layout BuildKit gives a multi-platform tar export. A builder that built one platform wrote its files
 * at the top, so they move into that platform's folder. A builder of several platforms already wrote
 * one folder each.
 */
final class TarJoin {

  private TarJoin() {}

  /**
   * One builder's tarball.
   *
   * @param folder the platform folder for a single-platform tarball, such as {@code linux_amd64}, or
   *     empty when the tarball already has platform folders
   */
  record Part(Path tarball, Optional<String> folder) {}

  /** Writes every part's entries, in order, to {@code out} as one tarball. The caller owns {@code out}. */
  static void write(List<Part> parts, OutputStream out) throws IOException {
    var tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    for (Part part : parts) {
      if (part.folder().isPresent()) {
        var folder = new TarArchiveEntry(part.folder().get() + "/");
        folder.setMode(TarArchiveEntry.DEFAULT_DIR_MODE);
        tar.putArchiveEntry(folder);
        tar.closeArchiveEntry();
      }
      copyEntries(part, tar);
    }
    tar.finish();
    tar.flush();
  }

  private static void copyEntries(Part part, TarArchiveOutputStream tar) throws IOException {
    try (InputStream file = new BufferedInputStream(Files.newInputStream(part.tarball()));
        var in = new TarArchiveInputStream(file)) {
      for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        if (part.folder().isPresent()) {
          String prefix = part.folder().get() + "/";
          entry.setName(prefix + stripDotSlash(entry.getName()));
          // A hard link names another entry of the archive, which moved too. A symlink's target is a
          // path inside the image, so it stays as it is.
          if (entry.isLink()) {
            entry.setLinkName(prefix + stripDotSlash(entry.getLinkName()));
          }
        }
        tar.putArchiveEntry(entry);
        if (entry.isFile()) {
          in.transferTo(tar);
        }
        tar.closeArchiveEntry();
      }
    }
  }

  private static String stripDotSlash(String name) {
    String stripped = name;
    while (stripped.startsWith("./") || stripped.startsWith("/")) {
      stripped = stripped.substring(stripped.startsWith("./") ? 2 : 1);
    }
    return stripped;
  }
}

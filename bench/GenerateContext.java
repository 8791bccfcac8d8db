import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes the benchmark's large build context: a fixed seed makes every run produce the same tree of
 * nested folders and the same file contents.
 *
 * <p>Usage: {@code java bench/GenerateContext.java DIR [FILES]}. DIR must not exist yet. With the
 * default 100,000 files the tree contains 105.8 MB: most files are small (4 B to 2 KiB), and one in
 * two hundred is large (16 KiB to 512 KiB), both drawn log-uniformly.
 */
public final class GenerateContext {

  private static final long SEED = 0x6465706f74L;

  private static final int DEFAULT_FILES = 100_000;

  private static final double LARGE_FILE_SHARE = 0.005;

  // Folder names per level. A file lands one to four levels deep.
  private static final int FANOUT = 12;

  private static final int MAX_DEPTH = 4;

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: java GenerateContext.java DIR [FILES]");
      System.exit(2);
    }
    Path root = Path.of(args[0]);
    int files = args.length == 2 ? Integer.parseInt(args[1]) : DEFAULT_FILES;
    if (Files.exists(root)) {
      System.err.println("GenerateContext: " + root + " already exists; remove it or pick another folder");
      System.exit(2);
    }

    SplittableRandom random = new SplittableRandom(SEED);
    byte[] buffer = new byte[512 * 1024];
    long totalBytes = 0;

    for (int i = 0; i < files; i++) {
      Path folder = pickFolder(root, random);
      int size = pickSize(random);
      Files.createDirectories(folder);
      writeFile(folder.resolve(String.format("f%06d.dat", i)), size, random, buffer);
      totalBytes += size;
    }

    System.out.printf("%d files, %d bytes in %s%n", files, totalBytes, root);
  }

  private static Path pickFolder(Path root, SplittableRandom random) {
    int depth = 1 + random.nextInt(MAX_DEPTH);
    Path folder = root;
    for (int level = 0; level < depth; level++) {
      folder = folder.resolve(String.format("d%d-%02d", level, random.nextInt(FANOUT)));
    }
    return folder;
  }

  private static int pickSize(SplittableRandom random) {
    if (random.nextDouble() < LARGE_FILE_SHARE) {
      return logUniform(random, 16 * 1024, 512 * 1024);
    }
    return logUniform(random, 4, 2 * 1024);
  }

  private static int logUniform(SplittableRandom random, int min, int max) {
    double exponent = Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min));
    return (int) Math.round(Math.exp(exponent));
  }

  private static void writeFile(Path file, int size, SplittableRandom random, byte[] buffer)
      throws IOException {
    fillRandom(buffer, size, random);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(buffer, 0, size);
    }
  }

  // Fills only the bytes that the file uses: filling the whole buffer for every small file would
  // dominate the run time.
  private static void fillRandom(byte[] buffer, int size, SplittableRandom random) {
    for (int offset = 0; offset < size; offset += Long.BYTES) {
      long bits = random.nextLong();
      for (int k = 0; k < Long.BYTES && offset + k < size; k++) {
        buffer[offset + k] = (byte) (bits >>> (8 * k));
      }
    }
  }
}

package dev.depotrunner.buildkit.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Random per-registry seeds that make the client's token authority keys unpredictable to the
 * builder. They are kept in {@code .token_seed} in the docker config directory, in buildx's JSON
 * format ({@code {"HOST": {"Seed": "BASE64"}}}), so that the keys, and with them the builder's
 * cached registry tokens, stay the same across builds.
 *
 * <p>NOTE: buildx locks {@code .token_seed.lock} with flock(2); Java's FileLock uses fcntl locks on
 * Linux, which do not exclude flock. A buildx running at the same moment may therefore write its
 * own seed for a host, which only costs the builder a token cache miss.
 */
final class TokenSeeds {

  private static final System.Logger LOG = System.getLogger(TokenSeeds.class.getName());
  private static final int SEED_BYTES = 16;
  private static final String SEED_FILE = ".token_seed";
  private static final String LOCK_FILE = ".token_seed.lock";

  private static final Object FILE_ACCESS = new Object();

  private final Path directory;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, byte[]> seeds = new HashMap<>();

  /** Creates seeds kept in {@code directory}, or only in memory when it is null. */
  TokenSeeds(Path directory) {
    this.directory = directory;
  }

  /** Returns the seed for a host, creating and storing one on first use. */
  synchronized byte[] seed(String host) {
    if (directory == null || !createDirectory()) {
      return seeds.computeIfAbsent(host, unused -> newSeed()).clone();
    }

    // FileChannel.lock fails when another channel of this JVM holds the lock, so providers in
    // one JVM take turns first. Closing the channel releases the lock.
    synchronized (FILE_ACCESS) {
      try (FileChannel lockChannel = lock()) {
        readSeeds();
        boolean created = !seeds.containsKey(host);
        byte[] seed = seeds.computeIfAbsent(host, unused -> newSeed());
        if (created) {
          writeSeeds();
        }
        return seed.clone();
      } catch (IOException e) {
        // Only releasing the lock failed, and the seed is valid anyway.
        return seeds.get(host).clone();
      }
    }
  }

  private boolean createDirectory() {
    try {
      Files.createDirectories(directory);
      return true;
    } catch (IOException e) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "keeping token seeds in memory, the directory " + directory + " is not writable: " + e);
      return false;
    }
  }

  /**
   * Opens and locks the lock file, or returns null when it cannot be opened or locked, as in a
   * read-only directory, where the seeds then go unlocked like buildx's.
   */
  private FileChannel lock() {
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      channel.lock();
      return channel;
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "token seeds are not locked: " + e);
      closeQuietly(channel);
      return null;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // The channel is discarded either way.
    }
  }

  private void readSeeds() {
    byte[] data;
    try {
      data = Files.readAllBytes(directory.resolve(SEED_FILE));
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "failed to read token seeds: " + e);
      return;
    }

    // A file left half written by a crash is ignored, as buildx does.
    JsonNode root;
    try {
      root = Mapper.JSON.readTree(data);
    } catch (IOException e) {
      return;
    }
    if (root == null || !root.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String encoded = field.getValue().isObject() ? JsonFields.text(field.getValue(), "Seed") : "";
      try {
        byte[] seed = Base64.getDecoder().decode(encoded);
        if (seed.length > 0) {
          seeds.put(field.getKey(), seed);
        }
      } catch (IllegalArgumentException e) {
        // An entry that is not base64 is replaced when its host is next used.
      }
    }
  }

  private void writeSeeds() {
    ObjectNode root = Mapper.JSON.createObjectNode();
    seeds.forEach(
        (host, seed) -> root.putObject(host).put("Seed", Base64.getEncoder().encodeToString(seed)));

    Path file = directory.resolve(SEED_FILE);
    try {
      if (Files.notExists(file) && isPosix()) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.write(file, Mapper.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "failed to store token seeds in " + file + ": " + e);
    }
  }

  private byte[] newSeed() {
    byte[] seed = new byte[SEED_BYTES];
    random.nextBytes(seed);
    return seed;
  }

  private static boolean isPosix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /**
   * The JSON mapper, in a class of its own so that it is initialized on first use: every build loads
   * the outer class, few need the mapper, and creating the first ObjectMapper is slow.
   */
  private static final class Mapper {
    static final ObjectMapper JSON = new ObjectMapper();
  }
}

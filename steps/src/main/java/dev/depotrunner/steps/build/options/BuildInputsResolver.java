package dev.depotrunner.steps.build.options;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Resolves the build context argument and {@code -f} into a {@link ContextSource} and a
 * {@link DockerfileSource}, the way buildx's input loading does, and reads stdin when either is {@code -}.
 */
final class BuildInputsResolver {

  /** The name buildx gives a Dockerfile read from stdin, and the default name in a context. */
  static final String DEFAULT_DOCKERFILE = "Dockerfile";

  /** How much of stdin is read to tell an archive from a Dockerfile, as buildx peeks at it. */
  private static final int ARCHIVE_HEADER_SIZE = 1024;

  private final Path workingDirectory;
  private final List<String> problems;
  private final List<Path> temporaryDirectories = new ArrayList<>();

  ContextSource context;
  DockerfileSource dockerfile;

  BuildInputsResolver(Path workingDirectory, List<String> problems) {
    this.workingDirectory = workingDirectory;
    this.problems = problems;
  }

  List<Path> temporaryDirectories() {
    return temporaryDirectories;
  }

  /**
   * Resolves the context and Dockerfile that need no stdin; returns whether stdin still has to be read,
   * which {@link #readStdin} then does.
   */
  boolean resolveWithoutStdin(String contextArgument, String dockerfileArgument) {
    if (contextArgument == null || contextArgument.isEmpty()) {
      problems.add("PATH: the build context is missing; pass a folder (such as .), a Git or HTTP URL, or - for stdin");
      return false;
    }
    boolean dockerfileFromStdin = "-".equals(dockerfileArgument);

    if (contextArgument.equals("-")) {
      if (dockerfileFromStdin) {
        problems.add("-f: stdin cannot be both the build context and the Dockerfile; pass the Dockerfile with -f PATH");
        return false;
      }
      return true;
    }

    Path contextPath = workingDirectory.resolve(contextArgument).normalize();
    if (Files.isDirectory(contextPath)) {
      context = new ContextSource.Local(contextPath);
      if (!dockerfileFromStdin) {
        dockerfile = localDockerfile(contextPath, dockerfileArgument);
      }
    } else if (RemoteContexts.isRemote(contextArgument)) {
      context = new ContextSource.Remote(contextArgument);
      if (!dockerfileFromStdin) {
        dockerfile = remoteContextDockerfile(dockerfileArgument);
      }
    } else if (Files.exists(contextPath)) {
      problems.add("PATH: the build context \"" + contextArgument + "\" is a file, not a folder; pass the folder that holds the build's files");
    } else {
      problems.add("PATH: the build context folder \"" + contextArgument + "\" does not exist; pass a folder, a Git or HTTP URL, or - for stdin");
    }
    return dockerfileFromStdin && context != null;
  }

  private DockerfileSource localDockerfile(Path contextPath, String dockerfileArgument) {
    if (dockerfileArgument == null || dockerfileArgument.isEmpty()) {
      String filename = lowercaseDockerfileName(contextPath, DEFAULT_DOCKERFILE);
      if (!Files.isRegularFile(contextPath.resolve(filename))) {
        problems.add(
            "-f: no Dockerfile in the build context: " + contextPath.resolve(DEFAULT_DOCKERFILE)
                + " does not exist; add it or pass the Dockerfile's path with -f");
        return null;
      }
      return new DockerfileSource.Local(contextPath, filename, false);
    }
    if (RemoteContexts.isHttpUrl(dockerfileArgument)) {
      problems.add("-f: a Dockerfile URL (" + dockerfileArgument + ") is not supported; download it and pass its path");
      return null;
    }

    // buildx resolves -f against the current folder, not against the context.
    Path file = workingDirectory.resolve(dockerfileArgument).normalize();
    if (Files.isDirectory(file)) {
      problems.add("-f: \"" + dockerfileArgument + "\" is a folder; pass the Dockerfile inside it");
      return null;
    }
    if (!Files.isRegularFile(file)) {
      problems.add("-f: the Dockerfile \"" + dockerfileArgument + "\" does not exist (resolved to " + file + ")");
      return null;
    }
    Path directory = file.getParent();
    return new DockerfileSource.Local(directory, lowercaseDockerfileName(directory, file.getFileName().toString()), false);
  }

  private DockerfileSource remoteContextDockerfile(String dockerfileArgument) {
    if (dockerfileArgument == null || dockerfileArgument.isEmpty()) {
      return new DockerfileSource.InRemoteContext(DEFAULT_DOCKERFILE);
    }
    if (RemoteContexts.isHttpUrl(dockerfileArgument)) {
      problems.add("-f: a Dockerfile URL (" + dockerfileArgument + ") is not supported; download it and pass its path");
      return null;
    }
    Path argument = Path.of(dockerfileArgument);
    if (!argument.isAbsolute()) {
      return new DockerfileSource.InRemoteContext(dockerfileArgument);
    }
    if (!Files.isRegularFile(argument)) {
      problems.add("-f: the Dockerfile \"" + dockerfileArgument + "\" does not exist");
      return null;
    }
    return new DockerfileSource.Local(argument.getParent(), argument.getFileName().toString(), false);
  }

  /**
   * Returns {@code dockerfile} when a folder has a file named {@code Dockerfile} only in lowercase, which
   * Docker has always accepted for the default name.
   */
  private static String lowercaseDockerfileName(Path directory, String filename) {
    if (!filename.equals(DEFAULT_DOCKERFILE) || Files.exists(directory.resolve(DEFAULT_DOCKERFILE))) {
      return filename;
    }
    try (var entries = Files.list(directory)) {
      boolean lowercase = entries.anyMatch(entry -> entry.getFileName().toString().equals("dockerfile"));
      return lowercase ? "dockerfile" : filename;
    } catch (IOException e) {
      return filename;
    }
  }

  /**
   * Reads stdin for {@code depot build -} (a tar archive as the context, or a Dockerfile with an empty
   * context) or for {@code -f -}. Of an archive only the first bytes are read here, to recognize it;
   * the rest streams to the builder during the build.
   */
  void readStdin(String contextArgument, String dockerfileArgument, Supplier<InputStream> stdin) {
    InputStream input = stdin.get();
    byte[] content;
    try {
      content = input.readNBytes(ARCHIVE_HEADER_SIZE);
      if (contextArgument.equals("-") && isArchive(content)) {
        readArchiveContext(new SequenceInputStream(new ByteArrayInputStream(content), input), dockerfileArgument);
        return;
      }
      content = concat(content, input.readAllBytes());
      input.close();
    } catch (IOException e) {
      problems.add("stdin: reading failed: " + e.getMessage());
      return;
    }

    if (contextArgument.equals("-")) {
      readDockerfileAsContext(content, dockerfileArgument);
      return;
    }
    Path directory = writeTemporaryDockerfile(content);
    if (directory != null) {
      dockerfile = new DockerfileSource.Local(directory, DEFAULT_DOCKERFILE, true);
    }
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] all = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }

  /** Takes the archive as the context; {@code -f} then names the Dockerfile inside it, as with a remote context. */
  private void readArchiveContext(InputStream archive, String dockerfileArgument) {
    String filename = dockerfileArgument == null || dockerfileArgument.isEmpty() ? DEFAULT_DOCKERFILE : dockerfileArgument;
    if (Path.of(filename).isAbsolute()) {
      problems.add("-f: with a context archive on stdin, -f names a file inside the archive; pass a relative path such as "
          + Path.of(filename).getFileName());
      return;
    }
    context = new ContextSource.Archive(archive, UUID.randomUUID().toString().replace("-", ""));
    dockerfile = new DockerfileSource.InRemoteContext(filename);
  }

  /** Takes stdin as the Dockerfile of a build without context, as {@code docker build - < Dockerfile} does. */
  private void readDockerfileAsContext(byte[] content, String dockerfileArgument) {
    if (content.length == 0) {
      problems.add("PATH: stdin is empty; pipe a Dockerfile or a tar archive of the context into depot build -");
      return;
    }
    if (dockerfileArgument != null && !dockerfileArgument.isEmpty()) {
      problems.add("-f: both stdin and -f name a Dockerfile; drop -f, or pass a folder instead of -");
      return;
    }

    Path emptyContext;
    try {
      emptyContext = Files.createTempDirectory("depot-empty-context");
    } catch (IOException e) {
      problems.add("PATH: creating an empty build context folder failed: " + e.getMessage());
      return;
    }
    temporaryDirectories.add(emptyContext);
    Path directory = writeTemporaryDockerfile(content);
    if (directory != null) {
      context = new ContextSource.Local(emptyContext);
      dockerfile = new DockerfileSource.Local(directory, DEFAULT_DOCKERFILE, true);
    }
  }

  private Path writeTemporaryDockerfile(byte[] content) {
    try {
      Path directory = Files.createTempDirectory("depot-dockerfile");
      temporaryDirectories.add(directory);
      Files.write(directory.resolve(DEFAULT_DOCKERFILE), content);
      return directory;
    } catch (IOException e) {
      problems.add("-f: saving the Dockerfile read from stdin failed: " + e.getMessage());
      return null;
    }
  }

  /**
   * Returns whether the start of stdin is a bzip2, gzip or xz stream or a tar header with a valid
   * checksum, the same test buildx applies.
   */
  static boolean isArchive(byte[] content) {
    byte[] header = content.length > ARCHIVE_HEADER_SIZE ? Arrays.copyOf(content, ARCHIVE_HEADER_SIZE) : content;
    if (startsWith(header, 0x42, 0x5A, 0x68)
        || startsWith(header, 0x1F, 0x8B, 0x08)
        || startsWith(header, 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00)) {
      return true;
    }
    return isTarHeader(header);
  }

  private static boolean startsWith(byte[] header, int... magic) {
    if (header.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((header[i] & 0xFF) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  /** Checks the header checksum of a 512-byte tar block: the sum of its bytes with the checksum field as spaces. */
  private static boolean isTarHeader(byte[] header) {
    if (header.length < 512) {
      return false;
    }
    boolean allZero = true;
    for (int i = 0; i < 512; i++) {
      allZero &= header[i] == 0;
    }
    if (allZero) {
      return false;
    }

    String field = new String(header, 148, 8, StandardCharsets.US_ASCII).replace('\0', ' ').trim();
    long recorded;
    try {
      recorded = Long.parseLong(field, 8);
    } catch (NumberFormatException e) {
      return false;
    }
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < 512; i++) {
      boolean inChecksum = i >= 148 && i < 156;
      unsigned += inChecksum ? ' ' : header[i] & 0xFF;
      signed += inChecksum ? ' ' : header[i];
    }
    return recorded == unsigned || recorded == signed;
  }
}

package dev.depotrunner.runner.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The environment, working folder and standard streams of one run of {@code depot}.
 * {@link #ofProcess()} describes this process, and tests build their own.
 *
 * @param stdoutIsTerminal whether stdout is a terminal, where a tarball must not be written
 * @param debug whether {@code --debug} was given: errors then carry their stack traces
 */
public record Invocation(
    Map<String, String> environment,
    Path workingDirectory,
    InputStream stdin,
    PrintStream out,
    PrintStream err,
    boolean stdoutIsTerminal,
    boolean debug) {

  public Invocation {
    environment = Map.copyOf(environment);
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(stdin, "stdin");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
  }

  /**
   * This process's environment, working folder and streams.
   *
   * <p>NOTE: on Java 17, System.console() is null when stdin or stdout is redirected, so a redirected stdin
   * makes a terminal stdout count as no terminal.
   */
  public static Invocation ofProcess() {
    return new Invocation(
        System.getenv(), Path.of("").toAbsolutePath(), System.in, System.out, System.err, System.console() != null, false);
  }

  /** Returns a copy whose environment has {@code name} set to {@code value}, as a flag that overrides a variable does. */
  public Invocation withVariable(String name, String value) {
    Map<String, String> changed = new HashMap<>(environment);
    changed.put(name, value);
    return new Invocation(changed, workingDirectory, stdin, out, err, stdoutIsTerminal, debug);
  }

  /** Returns a copy with {@link #debug()} set. */
  public Invocation withDebug(boolean value) {
    return new Invocation(environment, workingDirectory, stdin, out, err, stdoutIsTerminal, value);
  }
}

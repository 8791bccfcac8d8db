package dev.depotrunner.runner.progress;

import java.io.PrintStream;
import java.time.InstantSource;
import java.util.Map;

/** Creates the renderer for a {@code --progress} mode. */
public final class ProgressRenderers {

  private ProgressRenderers() {}

  /** Creates a renderer for a single build with {@link ProgressOptions#defaults()}. */
  public static ProgressRenderer create(ProgressMode mode, PrintStream err, boolean isTerminal) {
    return create(mode, err, isTerminal, ProgressOptions.defaults());
  }

  /**
   * Creates a renderer that writes to {@code err}, which the caller owns and keeps open.
   *
   * <p>{@link ProgressMode#AUTO} picks tty when {@code isTerminal} is set, plain otherwise. The tty
   * view falls back to plain when the terminal's size cannot be found.
   *
   * @param isTerminal whether {@code err} is a terminal, such as {@link #isTerminal()} returns
   */
  public static ProgressRenderer create(
      ProgressMode mode, PrintStream err, boolean isTerminal, ProgressOptions options) {
    InstantSource clock = InstantSource.system();
    TerminalSizeSource sizes = new TerminalSizeSource(clock, System.getenv());
    return create(mode, new TextOutput(err), isTerminal, options, clock, sizes);
  }

  static BaseRenderer create(
      ProgressMode mode,
      TextOutput out,
      boolean isTerminal,
      ProgressOptions options,
      InstantSource clock,
      TerminalSizeSource sizes) {
    return switch (mode) {
      case QUIET -> new QuietRenderer(out, options, clock);
      case RAWJSON -> new RawJsonRenderer(out, options, clock);
      case PLAIN -> new PlainRenderer(out, options, clock, new RefreshTimer());
      case TTY -> ttyOrPlain(out, options, clock, sizes);
      case AUTO -> isTerminal
          ? ttyOrPlain(out, options, clock, sizes)
          : new PlainRenderer(out, options, clock, new RefreshTimer());
    };
  }

  private static BaseRenderer ttyOrPlain(
      TextOutput out, ProgressOptions options, InstantSource clock, TerminalSizeSource sizes) {
    TerminalSize size = sizes.size();
    if (size == null) {
      return new PlainRenderer(out, options, clock, new RefreshTimer());
    }
    return new TtyRenderer(out, options, clock, new RefreshTimer(), sizes, size);
  }

  /**
   * Returns whether the process runs in a terminal that understands cursor movement: the JVM has
   * a console (stdin and stdout are a terminal) and {@code TERM} is not {@code dumb}.
   */
  public static boolean isTerminal() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  /**
   * Returns the id of the image a build produced, as docker buildx prints it for {@code --quiet}:
   * the config digest when the exporter reports one, else the image digest, else empty.
   */
  public static String imageId(Map<String, String> exporterResponse) {
    return dev.depotrunner.steps.build.BuildMetadata.imageId(exporterResponse);
  }
}

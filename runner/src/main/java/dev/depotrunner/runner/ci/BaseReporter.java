package dev.depotrunner.runner.ci;

import dev.depotrunner.buildkit.progress.VertexWarning;
import dev.depotrunner.runner.progress.ProgressRenderer;
import dev.depotrunner.steps.events.BuildEvent;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The state and steps every reporter shares: the secrets to hide, the record of each target's
 * events, and the log groups that open and end as a target moves through its {@link Phase}s.
 */
abstract class BaseReporter implements CiReporter {

  /**
   * The length below which a line of a multi-line secret is not redacted on its own, such as a JSON key
   * file's braces, because replacing those everywhere would break every JSON report.
   */
  static final int MIN_SECRET_LINE_LENGTH = 8;

  private static final Comparator<String> LONGEST_FIRST =
      Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder());

  final CiEnvironment ci;
  final PrintStream log;
  final Path workingDirectory;
  final Map<String, TargetRecord> targets = new LinkedHashMap<>();
  /** The renderer's view of {@link #log}, which also carries the reporter's own lines. */
  final ProgressOutput output;
  /**
   * The registered secrets, longest first so that a secret containing another is replaced whole. The set
   * is swapped for a new one, never changed, so that {@link #redact} reads it without the reporter's lock.
   */
  private volatile SortedSet<String> secrets = Collections.emptySortedSet();
  private final Map<String, Phase> phases = new LinkedHashMap<>();
  private final PrintStream rendererStream;
  private Group group;

  /**
   * @param log the job's log, which the caller also writes its own messages to. The progress renderer
   *     writes to {@link #output()}, which passes its lines on to this stream in order with the
   *     reporter's own.
   * @param stopsCommands whether the CI reads workflow commands from the log, which build output must
   *     not be able to send
   */
  BaseReporter(CiEnvironment ci, PrintStream log, Path workingDirectory, boolean stopsCommands) {
    this.ci = ci;
    this.log = log;
    this.workingDirectory = workingDirectory;
    this.output = new ProgressOutput(log, this::redact, stopsCommands);
    // A terminal outside CI gets the renderer's output as written, so that its live display keeps working.
    this.rendererStream = ci.system() == CiSystem.NONE ? log : output.printStream();
  }

  BaseReporter(CiEnvironment ci, PrintStream log, Path workingDirectory) {
    this(ci, log, workingDirectory, false);
  }

  /**
   * Adds a secret, and each line of a multi-line secret of at least {@value #MIN_SECRET_LINE_LENGTH}
   * characters on its own, because the log and the reports are redacted line by line.
   */
  @Override
  public final synchronized void registerSecret(String secret) {
    if (secret == null || secret.isBlank() || secrets.contains(secret)) {
      return;
    }
    TreeSet<String> added = new TreeSet<>(LONGEST_FIRST);
    added.addAll(secrets);
    added.add(secret);
    for (String line : secret.split("\r?\n|\r")) {
      String part = line.strip();
      if (part.length() >= MIN_SECRET_LINE_LENGTH) {
        added.add(part);
      }
    }
    secrets = Collections.unmodifiableSortedSet(added);
    onSecret(secret);
  }

  @Override
  public final PrintStream output() {
    return rendererStream;
  }

  /** Prints one of the reporter's own lines to the log, secrets redacted. */
  final void printLine(String line) {
    output.printReporterText(redact(line) + "\n");
  }

  @Override
  public final ProgressRenderer attach(ProgressRenderer renderer) {
    return new Attached(renderer);
  }

  /** Tells the CI about a new secret; only GitHub Actions has a command for it. */
  void onSecret(String secret) {}

  /** Prints the start of a log group, or nothing when the CI has none. */
  void beginGroup(Group group) {}

  /** Prints the end of the group {@link #beginGroup} started. */
  void endGroup(Group group) {}

  /**
   * A log group: one target's phase, or, once a bake builds several targets at a time, one phase of all
   * of them, because their progress lines interleave and per-target groups would break up into
   * fragments.
   *
   * @param target the target's name, or empty for a group of several targets
   */
  record Group(String target, Phase phase, String title) {}

  private synchronized void record(BuildEvent event) {
    // A notice carries nothing a target's record keeps, and a bake's own notices (the build link, the
    // save usage) name no target of the bake, so they must not add a target that never builds.
    if (event instanceof BuildEvent.Notice) {
      return;
    }
    targets.computeIfAbsent(event.target(), TargetRecord::new).add(event);
    if (!(event instanceof BuildEvent.Progress progress)) {
      return;
    }

    Phase current = phases.getOrDefault(event.target(), Phase.LOAD);
    phases.put(event.target(), Phase.advance(current, progress.status()));
    Group next = groupFor(event.target());
    if (group != null && group.target().equals(next.target()) && group.phase() == next.phase()) {
      return;
    }
    endOpenGroup();
    beginGroup(next);
    log.flush();
    group = next;
  }

  private Group groupFor(String target) {
    if (phases.size() == 1) {
      Phase phase = phases.get(target);
      String title = target.equals("default") ? phase.title() : target + ": " + phase.title();
      return new Group(target, phase, title);
    }
    Phase latest = phases.values().stream().max(Comparator.naturalOrder()).orElse(Phase.LOAD);
    // Sorted, because the targets' first events arrive in any order.
    return new Group("", latest, latest.title() + ": " + String.join(", ", new TreeSet<>(phases.keySet())));
  }

  private synchronized void endOpenGroup() {
    if (group != null) {
      endGroup(group);
      log.flush();
      group = null;
    }
  }

  /** Replaces every registered secret in {@code text} with {@code ***}. */
  final String redact(String text) {
    String redacted = text;
    for (String secret : secrets) {
      redacted = redacted.replace(secret, "***");
    }
    return redacted;
  }

  /** Returns the folder that annotation paths are relative to: the CI's checkout, else the working folder. */
  final Path base() {
    return ci.workspace() != null ? ci.workspace() : workingDirectory;
  }

  /** Returns every target's failure and then its warnings, secrets redacted. */
  final synchronized List<Finding> findings(ReportContext context) {
    List<Finding> errors = new ArrayList<>();
    List<Finding> warnings = new ArrayList<>();
    for (TargetRecord target : targets.values()) {
      Path dockerfile = context.inputs(target.name()).dockerfile();
      BuildEvent.Failed failure = target.failure();
      if (failure != null) {
        errors.add(redact(Finding.ofFailure(target.name(), failure.message(), failure.source(), dockerfile, base())));
      }
      for (VertexWarning warning : target.warnings()) {
        warnings.add(redact(Finding.ofWarning(target.name(), warning, dockerfile, base())));
      }
    }
    errors.addAll(warnings);
    return errors;
  }

  /**
   * Returns the finding with secrets redacted in every text, before the reports escape it for Markdown
   * or JSON, which would hide a secret from a later redaction.
   */
  private Finding redact(Finding finding) {
    return new Finding(finding.severity(), redact(finding.target()), redact(finding.check()),
        redact(finding.message()), redact(finding.path()), finding.startLine(), finding.endLine(),
        redact(finding.url()));
  }

  final synchronized List<TargetRecord> targetRecords() {
    return List.copyOf(targets.values());
  }

  /** Returns the build's outputs, secrets redacted. */
  final Map<String, String> outputs(ReportContext context) {
    Map<String, String> outputs = new LinkedHashMap<>();
    BuildOutputs.of(targetRecords(), context).forEach((name, value) -> outputs.put(name, redact(value)));
    return outputs;
  }

  final Summary summary(ReportContext context) {
    return new Summary(ci, targetRecords(), context, findings(context), this::redact);
  }

  /** Records each event, then passes it on; closing ends the open group before the renderer's last lines. */
  private final class Attached implements ProgressRenderer {

    private final ProgressRenderer renderer;
    private boolean closed;

    Attached(ProgressRenderer renderer) {
      this.renderer = renderer;
    }

    /**
     * Records and renders under the reporter's lock, so that a group marker and the lines rendered for
     * the same event stay together when a bake sends events from several threads. The renderer's
     * timer thread takes only the renderer's lock, never the reporter's, so both locks are always taken
     * in the same order.
     */
    @Override
    public void onEvent(BuildEvent event) {
      synchronized (BaseReporter.this) {
        if (closed) {
          return;
        }
        record(event);
        renderer.onEvent(event);
      }
    }

    @Override
    public void close() {
      synchronized (BaseReporter.this) {
        closed = true;
        endOpenGroup();
        renderer.close();
        output.close();
      }
    }

    @Override
    public List<VertexWarning> warnings() {
      return renderer.warnings();
    }
  }
}

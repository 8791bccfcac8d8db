package dev.depotrunner.steps.depot;

import dev.depotrunner.buildkit.progress.ProgressGroup;
import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.buildkit.progress.VertexLog;
import dev.depotrunner.buildkit.progress.VertexProgress;
import dev.depotrunner.buildkit.progress.VertexState;
import dev.depotrunner.buildkit.progress.VertexWarning;
import dev.depotrunner.steps.events.BuildEvent;
import dev.depotrunner.steps.events.BuildEventListener;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Labels one builder's build events when several builders run the same build: every vertex name gets
 * the builder's label in front, such as {@code [arm64 1/2] COPY}, and every vertex digest is replaced
 * by one derived from the label. Two builders often report the same vertex digest (the Dockerfile load,
 * or a step whose LLB does not depend on the platform), and renderers key vertices by digest, so without
 * new digests one builder's vertex would hide the other's.
 */
final class BuilderProgress implements BuildEventListener {

  private final BuildEventListener listener;
  private final String label;
  private final Shared shared;
  private final Map<String, String> digests = new ConcurrentHashMap<>();

  /**
   * The state that the builders of one build share, so that the build starts once and each notice shows once.
   *
   * @param platforms every platform of the build, which the first {@code Started} event carries
   */
  record Shared(List<String> platforms, AtomicBoolean started, Set<String> notices) {

    Shared(List<String> platforms) {
      this(List.copyOf(platforms), new AtomicBoolean(), ConcurrentHashMap.newKeySet());
    }
  }

  BuilderProgress(BuildEventListener listener, String label, Shared shared) {
    this.listener = listener;
    this.label = label;
    this.shared = shared;
  }

  /**
   * Passes {@code event} on with its vertices labelled. The build starts once, with all its platforms, a
   * notice that another builder sent already is left out, and so is a builder's own success, because the
   * caller reports the joined result.
   */
  @Override
  public void onEvent(BuildEvent event) {
    if (event instanceof BuildEvent.Started start) {
      if (shared.started().compareAndSet(false, true)) {
        listener.onEvent(new BuildEvent.Started(start.target(), start.builder(), shared.platforms(), start.at()));
      }
    } else if (event instanceof BuildEvent.Notice notice) {
      if (shared.notices().add(notice.level() + " " + notice.message())) {
        listener.onEvent(notice);
      }
    } else if (event instanceof BuildEvent.Progress progress) {
      listener.onEvent(new BuildEvent.Progress(progress.target(), label(progress.status())));
    } else if (event instanceof BuildEvent.Failed failed) {
      listener.onEvent(
          new BuildEvent.Failed(failed.target(), failed.message(), digest(failed.vertex()), failed.source(), failed.at()));
    } else if (!(event instanceof BuildEvent.Succeeded)) {
      listener.onEvent(event);
    }
  }

  SolveStatus label(SolveStatus status) {
    List<VertexState> vertexes = status.vertexes().stream()
        .map(vertex -> new VertexState(digest(vertex.digest()), vertex.inputs().stream().map(this::digest).toList(),
            name(vertex.name()), vertex.cached(), vertex.started(), vertex.completed(), vertex.error(),
            group(vertex.progressGroup())))
        .toList();
    List<VertexProgress> statuses = status.statuses().stream()
        .map(task -> new VertexProgress(task.id(), digest(task.vertex()), task.name(), task.current(), task.total(),
            task.timestamp(), task.started(), task.completed()))
        .toList();
    List<VertexLog> logs = status.logs().stream()
        .map(log -> new VertexLog(digest(log.vertex()), log.timestamp(), log.stream(), log.data()))
        .toList();
    List<VertexWarning> warnings = status.warnings().stream()
        .map(warning -> new VertexWarning(digest(warning.vertex()), warning.level(), warning.message(), warning.detail(),
            warning.url(), warning.source()))
        .toList();
    return new SolveStatus(vertexes, statuses, logs, warnings);
  }

  /** Turns {@code [1/2] COPY} into {@code [arm64 1/2] COPY}, and other names into {@code [arm64] name}. */
  String name(String name) {
    if (name.startsWith("[")) {
      return "[" + label + " " + name.substring(1);
    }
    return "[" + label + "] " + name;
  }

  /** Returns the SHA-256 of the label and {@code digest} in BuildKit's digest form, the same for each call. Empty stays empty. */
  String digest(String digest) {
    if (digest.isEmpty()) {
      return digest;
    }
    return digests.computeIfAbsent(digest, original -> "sha256:" + HexFormat.of().formatHex(
        sha256().digest((label + "\n" + original).getBytes(StandardCharsets.UTF_8))));
  }

  private ProgressGroup group(ProgressGroup group) {
    return group == null ? null : new ProgressGroup(label + ":" + group.id(), name(group.name()), group.weak());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}

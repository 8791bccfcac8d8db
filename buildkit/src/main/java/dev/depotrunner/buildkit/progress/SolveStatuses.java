package dev.depotrunner.buildkit.progress;

import com.google.protobuf.Timestamp;
import dev.depotrunner.buildkit.proto.control.StatusResponse;
import dev.depotrunner.buildkit.proto.llb.Range;
import dev.depotrunner.buildkit.proto.llb.SourceInfo;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Converts BuildKit's Status stream messages into {@link SolveStatus} values. */
public final class SolveStatuses {

  private SolveStatuses() {}

  /**
   * Converts one message of the Control service's Status stream, as BuildKit's Go client does: a
   * missing start or end time stays null, and a missing update time becomes the Unix epoch.
   */
  public static SolveStatus fromProto(StatusResponse response) {
    List<VertexState> vertexes = new ArrayList<>(response.getVertexesCount());
    for (var vertex : response.getVertexesList()) {
      vertexes.add(toVertexState(vertex));
    }

    List<VertexProgress> statuses = new ArrayList<>(response.getStatusesCount());
    for (var status : response.getStatusesList()) {
      statuses.add(toVertexProgress(status));
    }

    List<VertexLog> logs = new ArrayList<>(response.getLogsCount());
    for (var log : response.getLogsList()) {
      logs.add(
          new VertexLog(
              log.getVertex(),
              toInstant(log.getTimestamp()),
              (int) log.getStream(),
              log.getMsg().toByteArray()));
    }

    List<VertexWarning> warnings = new ArrayList<>(response.getWarningsCount());
    for (var warning : response.getWarningsList()) {
      warnings.add(toVertexWarning(warning));
    }

    return new SolveStatus(vertexes, statuses, logs, warnings);
  }

  private static VertexState toVertexState(dev.depotrunner.buildkit.proto.control.Vertex vertex) {
    ProgressGroup group = null;
    if (vertex.hasProgressGroup()) {
      var proto = vertex.getProgressGroup();
      group = new ProgressGroup(proto.getId(), proto.getName(), proto.getWeak());
    }
    return new VertexState(
        vertex.getDigest(),
        vertex.getInputsList(),
        vertex.getName(),
        vertex.getCached(),
        vertex.hasStarted() ? toInstant(vertex.getStarted()) : null,
        vertex.hasCompleted() ? toInstant(vertex.getCompleted()) : null,
        vertex.getError(),
        group);
  }

  private static VertexProgress toVertexProgress(
      dev.depotrunner.buildkit.proto.control.VertexStatus status) {
    return new VertexProgress(
        status.getID(),
        status.getVertex(),
        status.getName(),
        status.getCurrent(),
        status.getTotal(),
        toInstant(status.getTimestamp()),
        status.hasStarted() ? toInstant(status.getStarted()) : null,
        status.hasCompleted() ? toInstant(status.getCompleted()) : null);
  }

  private static VertexWarning toVertexWarning(
      dev.depotrunner.buildkit.proto.control.VertexWarning warning) {
    List<String> detail = new ArrayList<>(warning.getDetailCount());
    for (var paragraph : warning.getDetailList()) {
      detail.add(paragraph.toString(StandardCharsets.UTF_8));
    }

    SourceLocation source = null;
    if (warning.hasInfo()) {
      source = toSourceLocation(warning.getInfo(), warning.getRangesList());
    }

    return new VertexWarning(
        warning.getVertex(),
        (int) warning.getLevel(),
        warning.getShort().toString(StandardCharsets.UTF_8),
        detail,
        warning.getUrl(),
        source);
  }

  /** Converts a source file and the ranges in it, as warnings and errdefs.Source carry them. */
  public static SourceLocation toSourceLocation(SourceInfo info, List<Range> ranges) {
    List<SourceLocation.LineRange> lineRanges = new ArrayList<>(ranges.size());
    for (var range : ranges) {
      lineRanges.add(
          new SourceLocation.LineRange(
              range.getStart().getLine(),
              range.getEnd().getLine(),
              range.getStart().getCharacter(),
              range.getEnd().getCharacter()));
    }
    return new SourceLocation(
        info.getFilename(), info.getLanguage(), info.getData().toByteArray(), lineRanges);
  }

  private static Instant toInstant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}

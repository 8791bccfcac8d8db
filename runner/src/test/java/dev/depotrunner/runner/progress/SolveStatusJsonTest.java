package dev.depotrunner.runner.progress;

import static dev.depotrunner.runner.progress.Statuses.at;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depotrunner.buildkit.progress.ProgressGroup;
import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.buildkit.progress.SourceLocation;
import dev.depotrunner.buildkit.progress.VertexLog;
import dev.depotrunner.buildkit.progress.VertexProgress;
import dev.depotrunner.buildkit.progress.VertexState;
import dev.depotrunner.buildkit.progress.VertexWarning;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SolveStatusJsonTest {

  private static SolveStatus status(
      List<VertexState> vertexes, List<VertexProgress> statuses, List<VertexLog> logs, List<VertexWarning> warnings) {
    return new SolveStatus(vertexes, statuses, logs, warnings);
  }

  @Test
  void write_leavesOutEmptyFields() {
    VertexState queued = new VertexState("sha256:a", List.of(), "", false, null, null, "", null);

    assertEquals("{\"vertexes\":[{\"digest\":\"sha256:a\"}]}", SolveStatusJson.write(status(List.of(queued), List.of(), List.of(), List.of())));
    assertEquals("{}", SolveStatusJson.write(status(List.of(), List.of(), List.of(), List.of())));
  }

  @Test
  void write_vertexFieldsInGoOrder() {
    VertexState vertex =
        new VertexState(
            "sha256:a",
            List.of("sha256:b"),
            "[2/2] RUN a && b < c > d",
            true,
            at(1),
            at(1.5),
            "exit code: 1",
            new ProgressGroup("g1", "merging", true));

    assertEquals(
        "{\"vertexes\":[{\"digest\":\"sha256:a\",\"inputs\":[\"sha256:b\"],"
            + "\"name\":\"[2/2] RUN a \\u0026\\u0026 b \\u003c c \\u003e d\","
            + "\"started\":\"2026-01-01T10:00:01Z\",\"completed\":\"2026-01-01T10:00:01.5Z\","
            + "\"cached\":true,\"error\":\"exit code: 1\","
            + "\"progressGroup\":{\"id\":\"g1\",\"name\":\"merging\",\"weak\":true}}]}",
        SolveStatusJson.write(status(List.of(vertex), List.of(), List.of(), List.of())));
  }

  @Test
  void write_taskKeepsCurrentAndTimestamp() {
    VertexProgress task = new VertexProgress("exporting layers", "sha256:a", "", 0, 0, Instant.EPOCH, null, null);

    assertEquals(
        "{\"statuses\":[{\"id\":\"exporting layers\",\"vertex\":\"sha256:a\",\"current\":0,"
            + "\"timestamp\":\"1970-01-01T00:00:00Z\"}]}",
        SolveStatusJson.write(status(List.of(), List.of(task), List.of(), List.of())));
  }

  @Test
  void write_logDataInBase64() {
    VertexLog log = new VertexLog("sha256:a", at(2), 2, "warning: x\n".getBytes(StandardCharsets.UTF_8));
    VertexLog empty = new VertexLog("sha256:a", at(2), 1, new byte[0]);

    assertEquals(
        "{\"logs\":[{\"vertex\":\"sha256:a\",\"stream\":2,\"data\":\"d2FybmluZzogeAo=\",\"timestamp\":\"2026-01-01T10:00:02Z\"},"
            + "{\"vertex\":\"sha256:a\",\"stream\":1,\"data\":null,\"timestamp\":\"2026-01-01T10:00:02Z\"}]}",
        SolveStatusJson.write(status(List.of(), List.of(), List.of(log, empty), List.of())));
  }

  @Test
  void write_warningWithSource() {
    SourceLocation source =
        new SourceLocation(
            "Dockerfile", "Dockerfile", "CMD echo hi\n".getBytes(StandardCharsets.UTF_8), List.of(new SourceLocation.LineRange(1, 1, 0, 11)));
    VertexWarning warning = new VertexWarning("sha256:a", 1, "short", List.of("detail"), "https://docs.docker.com/", source);

    assertEquals(
        "{\"warnings\":[{\"vertex\":\"sha256:a\",\"level\":1,\"short\":\"c2hvcnQ=\",\"detail\":[\"ZGV0YWls\"],"
            + "\"url\":\"https://docs.docker.com/\","
            + "\"sourceInfo\":{\"filename\":\"Dockerfile\",\"data\":\"Q01EIGVjaG8gaGkK\",\"language\":\"Dockerfile\"},"
            + "\"range\":[{\"start\":{\"line\":1},\"end\":{\"line\":1,\"character\":11}}]}]}",
        SolveStatusJson.write(status(List.of(), List.of(), List.of(), List.of(warning))));
  }

  @Test
  void write_escapesLikeGo() {
    VertexState vertex =
        new VertexState("sha256:a", List.of(), "tab\there\u0001\u2028\"q\" \\ é", false, null, null, "", null);

    assertEquals(
        "{\"vertexes\":[{\"digest\":\"sha256:a\",\"name\":\"tab\\there\\u0001\\u2028\\\"q\\\" \\\\ é\"}]}",
        SolveStatusJson.write(status(List.of(vertex), List.of(), List.of(), List.of())));
  }

  @Test
  void formatTime_trimsTrailingZeros() {
    assertEquals("2026-12-04T20:16:05.38482537Z", SolveStatusJson.formatTime(Instant.parse("2026-12-04T20:16:05.384825370Z")));
    assertEquals("2026-12-04T20:16:05.1Z", SolveStatusJson.formatTime(Instant.parse("2026-12-04T20:16:05.100Z")));
    assertEquals("2026-12-04T20:16:05.000000001Z", SolveStatusJson.formatTime(Instant.parse("2026-12-04T20:16:05.000000001Z")));
    assertEquals("2026-12-04T20:16:05Z", SolveStatusJson.formatTime(Instant.parse("2026-12-04T20:16:05Z")));
  }
}

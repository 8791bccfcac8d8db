package dev.depotrunner.buildkit.progress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.depotrunner.buildkit.proto.control.StatusResponse;
import dev.depotrunner.buildkit.proto.control.Vertex;
import dev.depotrunner.buildkit.proto.control.VertexLog;
import dev.depotrunner.buildkit.proto.control.VertexStatus;
import dev.depotrunner.buildkit.proto.control.VertexWarning;
import dev.depotrunner.buildkit.proto.llb.Position;
import dev.depotrunner.buildkit.proto.llb.Range;
import dev.depotrunner.buildkit.proto.llb.SourceInfo;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SolveStatusesTest {

  private static final Instant STARTED = Instant.parse("2026-12-04T20:16:17.361843157Z");
  private static final Instant COMPLETED = Instant.parse("2026-12-04T20:16:18.969524897Z");

  @Test
  void fromProto_convertsVertexes() {
    StatusResponse response =
        StatusResponse.newBuilder()
            .addVertexes(
                Vertex.newBuilder()
                    .setDigest("sha256:a6ea")
                    .addInputs("sha256:24eb")
                    .addInputs("sha256:fb6d")
                    .setName("[build 3/4] COPY hello.txt .")
                    .setCached(true)
                    .setStarted(timestamp(STARTED))
                    .setCompleted(timestamp(COMPLETED))
                    .setError("failed to compute cache key")
                    .setProgressGroup(
                        dev.depotrunner.buildkit.proto.llb.ProgressGroup.newBuilder()
                            .setId("merge-1")
                            .setName("merging")
                            .setWeak(true)))
            .addVertexes(Vertex.newBuilder().setDigest("sha256:fb6d").setName("[internal] load build context"))
            .build();

    SolveStatus status = SolveStatuses.fromProto(response);

    VertexState copy = status.vertexes().get(0);
    assertEquals("sha256:a6ea", copy.digest());
    assertEquals(List.of("sha256:24eb", "sha256:fb6d"), copy.inputs());
    assertEquals("[build 3/4] COPY hello.txt .", copy.name());
    assertTrue(copy.cached());
    assertEquals(STARTED, copy.started());
    assertEquals(COMPLETED, copy.completed());
    assertEquals("failed to compute cache key", copy.error());
    assertTrue(copy.failed());
    assertEquals(new ProgressGroup("merge-1", "merging", true), copy.progressGroup());

    VertexState queued = status.vertexes().get(1);
    assertNull(queued.started());
    assertNull(queued.completed());
    assertEquals("", queued.error());
    assertFalse(queued.failed());
    assertNull(queued.progressGroup());
    assertEquals(List.of(), queued.inputs());
  }

  @Test
  void fromProto_convertsStatuses() {
    StatusResponse response =
        StatusResponse.newBuilder()
            .addStatuses(
                VertexStatus.newBuilder()
                    .setID("transferring context:")
                    .setVertex("sha256:a268")
                    .setName("transferring")
                    .setCurrent(2884375)
                    .setTotal(60014748)
                    .setTimestamp(timestamp(COMPLETED))
                    .setStarted(timestamp(STARTED)))
            .addStatuses(VertexStatus.newBuilder().setID("exporting layers").setVertex("sha256:5a7b"))
            .build();

    SolveStatus status = SolveStatuses.fromProto(response);

    VertexProgress transfer = status.statuses().get(0);
    assertEquals("transferring context:", transfer.id());
    assertEquals("sha256:a268", transfer.vertex());
    assertEquals("transferring", transfer.name());
    assertEquals(2884375, transfer.current());
    assertEquals(60014748, transfer.total());
    assertEquals(COMPLETED, transfer.timestamp());
    assertEquals(STARTED, transfer.started());
    assertNull(transfer.completed());

    // BuildKit's Go client turns a missing update time into the Unix epoch.
    VertexProgress bare = status.statuses().get(1);
    assertEquals(Instant.EPOCH, bare.timestamp());
    assertNull(bare.started());
  }

  @Test
  void fromProto_keepsLogBytesAsSent() {
    byte[] chunk = {' ', 'o', 'n', 'e', '\n', 'l', 'i', 'n', 'k', (byte) 0xe2, (byte) 0x9c};
    StatusResponse response =
        StatusResponse.newBuilder()
            .addLogs(
                VertexLog.newBuilder()
                    .setVertex("sha256:2f3c")
                    .setTimestamp(timestamp(COMPLETED))
                    .setStream(2)
                    .setMsg(ByteString.copyFrom(chunk)))
            .build();

    dev.depotrunner.buildkit.progress.VertexLog converted = SolveStatuses.fromProto(response).logs().get(0);

    assertEquals("sha256:2f3c", converted.vertex());
    assertEquals(COMPLETED, converted.timestamp());
    assertEquals(2, converted.stream());
    assertArrayEquals(chunk, converted.data());
  }

  @Test
  void fromProto_convertsWarningWithSource() {
    String dockerfile = "FROM busybox as base\nENV DEBUG 1\nCMD echo hi\n";
    StatusResponse response =
        StatusResponse.newBuilder()
            .addWarnings(
                VertexWarning.newBuilder()
                    .setVertex("sha256:de0a")
                    .setLevel(1)
                    .setShort(utf8("JSONArgsRecommended: JSON arguments recommended for CMD (line 3)"))
                    .addDetail(utf8("JSON arguments recommended for ENTRYPOINT/CMD"))
                    .setUrl("https://docs.docker.com/go/dockerfile/rule/json-args-recommended/")
                    .setInfo(
                        SourceInfo.newBuilder()
                            .setFilename("Dockerfile")
                            .setLanguage("Dockerfile")
                            .setData(utf8(dockerfile)))
                    .addRanges(
                        Range.newBuilder()
                            .setStart(Position.newBuilder().setLine(3).setCharacter(4))
                            .setEnd(Position.newBuilder().setLine(3).setCharacter(11))))
            .addWarnings(VertexWarning.newBuilder().setVertex("sha256:de0a").setShort(utf8("no source")))
            .build();

    SolveStatus status = SolveStatuses.fromProto(response);

    dev.depotrunner.buildkit.progress.VertexWarning warning = status.warnings().get(0);
    assertEquals("sha256:de0a", warning.vertex());
    assertEquals(1, warning.level());
    assertEquals("JSONArgsRecommended: JSON arguments recommended for CMD (line 3)", warning.message());
    assertEquals(List.of("JSON arguments recommended for ENTRYPOINT/CMD"), warning.detail());
    assertEquals("https://docs.docker.com/go/dockerfile/rule/json-args-recommended/", warning.url());
    SourceLocation source = warning.source();
    assertEquals("Dockerfile", source.filename());
    assertEquals("Dockerfile", source.language());
    assertEquals(dockerfile, new String(source.data(), StandardCharsets.UTF_8));
    assertEquals(List.of(new SourceLocation.LineRange(3, 3, 4, 11)), source.ranges());

    assertNull(status.warnings().get(1).source());
    assertEquals("", status.warnings().get(1).url());
  }

  @Test
  void fromProto_emptyResponseGivesEmptyLists() {
    SolveStatus status = SolveStatuses.fromProto(StatusResponse.getDefaultInstance());

    assertEquals(List.of(), status.vertexes());
    assertEquals(List.of(), status.statuses());
    assertEquals(List.of(), status.logs());
    assertEquals(List.of(), status.warnings());
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }

  private static ByteString utf8(String text) {
    return ByteString.copyFromUtf8(text);
  }
}

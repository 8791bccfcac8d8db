package dev.depotrunner.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.MissingNode;
import dev.depotrunner.engine.JsonMessage;
import dev.depotrunner.registry.CopyEvent;
import dev.depotrunner.registry.ImageName;
import dev.depotrunner.runner.progress.ProgressMode;
import dev.depotrunner.runner.progress.TransferEvent;
import dev.depotrunner.steps.registry.PullEvent;
import dev.depotrunner.steps.registry.PushEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Tests how push and pull progress become transfer events, and how --progress resolves. */
class TransferProgressTest {

  private static final ImageName TAG = ImageName.parse("127.0.0.1:5001/team/app:v1");
  private static final String DIGEST = "sha256:feadccd94c4ba297304a7642ec0ab001ca98c2d30987ef8314bfe33e85bd41fb";

  @Test
  void autoModeFollowsTerminal() {
    assertEquals(ProgressMode.TTY, PushProgress.mode("auto", Map.of(), true));
    assertEquals(ProgressMode.PLAIN, PushProgress.mode("auto", Map.of(), false));
    assertEquals(ProgressMode.PLAIN, PushProgress.mode("auto", Map.of("CI", "true"), true));
  }

  @Test
  void autoModeTakesBuildkitProgress() {
    assertEquals(ProgressMode.QUIET, PushProgress.mode("auto", Map.of("BUILDKIT_PROGRESS", "quiet"), true));
    assertEquals(ProgressMode.TTY, PushProgress.mode("tty", Map.of("BUILDKIT_PROGRESS", "plain"), false));
  }

  @Test
  void rawjsonModeRejected() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> PushProgress.mode("rawjson", Map.of(), true));

    assertEquals("invalid --progress value \"rawjson\": expected auto, plain, tty or quiet", error.getMessage());
  }

  @Test
  void pushBlobEventsKeyedByShortDigest() {
    assertEquals(new TransferEvent.Blob("feadccd94c4b", "Pushing", 0, 2000),
        pushEvent(new CopyEvent.BlobProgress(TAG, DIGEST, 0, 2000)));
    assertEquals(new TransferEvent.Blob("feadccd94c4b", "Pushing", 1000, 2000),
        pushEvent(new CopyEvent.BlobProgress(TAG, DIGEST, 1000, 2000)));
    assertEquals(new TransferEvent.Blob("feadccd94c4b", "Pushed", 0, 2000),
        pushEvent(new CopyEvent.BlobProgress(TAG, DIGEST, 2000, 2000)));
    assertEquals(new TransferEvent.Blob("feadccd94c4b", "Layer already exists", 0, 2000),
        pushEvent(new CopyEvent.BlobSkipped(TAG, DIGEST, 2000, CopyEvent.BlobSkipped.Reason.EXISTS)));
    assertEquals(new TransferEvent.Blob("feadccd94c4b", "Mounted", 0, 2000),
        pushEvent(new CopyEvent.BlobSkipped(TAG, DIGEST, 2000, CopyEvent.BlobSkipped.Reason.MOUNTED)));
  }

  @Test
  void pushStepsBecomeMessages() {
    assertEquals(new TransferEvent.Message("[depot] Pushing build b1 of target web as " + TAG),
        PushProgress.transferEvent(new PushEvent.Started("b1", Optional.of("web"), TAG)));
    assertEquals(new TransferEvent.Message("[depot] Pushed " + TAG + "@" + DIGEST + " (2 blobs, 2.1 MB uploaded)"),
        PushProgress.transferEvent(new PushEvent.Finished(TAG, DIGEST, 2, 2_140_160)));
    assertEquals(new TransferEvent.Message("Pushed manifest " + DIGEST),
        pushEvent(new CopyEvent.ManifestPushed(TAG, DIGEST, "application/vnd.oci.image.manifest.v1+json")));
    assertEquals(new TransferEvent.Message("Retrying PUT manifest in 500 ms after attempt 1: status 503"),
        pushEvent(new CopyEvent.Retrying(TAG, "PUT manifest", 1, Duration.ofMillis(500), "status 503")));
  }

  @Test
  void pullLayerMessagesBecomeBlobs() {
    assertEquals(Optional.of(new TransferEvent.Blob("feadccd94c4b", "Downloading", 1000, 2000)),
        PullProgress.transferEvent(engine("feadccd94c4b", "Downloading", 1000, 2000)));
    assertEquals(Optional.of(new TransferEvent.Blob("v1", "Pulling from team/app", 0, 0)),
        PullProgress.transferEvent(engine("v1", "Pulling from team/app", 0, 0)));
  }

  @Test
  void pullCountInSecondsHasNoBytes() {
    JsonMessage extracting = new JsonMessage("feadccd94c4b", "Extracting", "", 1, 0, "s", "", "", MissingNode.getInstance());

    assertEquals(Optional.of(new TransferEvent.Blob("feadccd94c4b", "Extracting", 0, 0)),
        PullProgress.transferEvent(new PullEvent.Engine(extracting)));
  }

  @Test
  void pullStatusWithoutIdIsMessage() {
    assertEquals(Optional.of(new TransferEvent.Message("Digest: " + DIGEST)),
        PullProgress.transferEvent(engine("", "Digest: " + DIGEST, 0, 0)));
    assertEquals(Optional.empty(), PullProgress.transferEvent(engine("", "", 0, 0)));
  }

  @Test
  void pullStepsBecomeMessages() {
    assertEquals(Optional.of(new TransferEvent.Message("[depot] Pulling build b1 target api from r/p:b1-api")),
        PullProgress.transferEvent(new PullEvent.Started("b1", Optional.of("api"), "r/p:b1-api")));
    assertEquals(Optional.of(new TransferEvent.Message("[depot] Pulled r/p:b1 as app:v1, app:v2")),
        PullProgress.transferEvent(new PullEvent.Finished("r/p:b1", List.of("app:v1", "app:v2"))));
  }

  private static TransferEvent pushEvent(CopyEvent event) {
    return PushProgress.transferEvent(new PushEvent.Copy(event));
  }

  private static PullEvent engine(String id, String status, long current, long total) {
    return new PullEvent.Engine(new JsonMessage(id, status, "", current, total, "", "", "", MissingNode.getInstance()));
  }
}

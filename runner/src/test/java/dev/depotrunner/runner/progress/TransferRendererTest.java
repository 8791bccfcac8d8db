package dev.depotrunner.runner.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransferRendererTest {

  private static final String ESC = "\u001b";

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TextOutput out = new TextOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8));

  @Test
  void plainPrintsStateChanges() {
    PlainTransferRenderer renderer = new PlainTransferRenderer(out);

    renderer.accept(message("[depot] Pulling build b1 from r/p:b1"));
    renderer.accept(blob("feadccd94c4b", "Pulling fs layer", 0, 0));
    renderer.accept(blob("feadccd94c4b", "Downloading", 1000, 2_140_160));
    renderer.accept(blob("feadccd94c4b", "Downloading", 2_000_000, 2_140_160));
    renderer.accept(blob("0b663a7546ea", "Pushing", 0, 531));
    renderer.accept(blob("feadccd94c4b", "Pull complete", 0, 0));
    renderer.accept(message("[depot] Tagged app:v1"));

    assertEquals("""
        [depot] Pulling build b1 from r/p:b1
        feadccd94c4b: Pulling fs layer
        feadccd94c4b: Downloading 2.14MB
        0b663a7546ea: Pushing 531B
        feadccd94c4b: Pull complete
        [depot] Tagged app:v1
        """, output());
  }

  @Test
  void ttyPrintsNewBlobsBelow() {
    TtyTransferRenderer renderer = new TtyTransferRenderer(out, 80);

    renderer.accept(message("[depot] Pushing build b1 as app:v1"));
    renderer.accept(blob("feadccd94c4b", "Pushing", 0, 2_140_160));
    renderer.accept(blob("0b663a7546ea", "Layer already exists", 0, 531));

    assertEquals("""
        [depot] Pushing build b1 as app:v1
        feadccd94c4b: Pushing 2.14MB
        0b663a7546ea: Layer already exists 531B
        """, output());
  }

  @Test
  void ttyRewritesBlobInPlace() {
    TtyTransferRenderer renderer = new TtyTransferRenderer(out, 80);
    renderer.accept(blob("aaaaaaaaaaaa", "Pushing", 0, 2_000_000));
    renderer.accept(blob("bbbbbbbbbbbb", "Pushing", 0, 3_000_000));
    bytes.reset();

    renderer.accept(blob("aaaaaaaaaaaa", "Pushing", 1_000_000, 2_000_000));
    renderer.accept(blob("bbbbbbbbbbbb", "Pushed", 0, 3_000_000));

    assertEquals(ESC + "[2A\r" + ESC + "[2Kaaaaaaaaaaaa: Pushing 1.00MB/2.00MB\r" + ESC + "[2B"
        + ESC + "[1A\r" + ESC + "[2Kbbbbbbbbbbbb: Pushed 3.00MB\r" + ESC + "[1B", output());
  }

  @Test
  void ttyScreenShowsLatestStates() {
    TtyTransferRenderer renderer = new TtyTransferRenderer(out, 40);
    TerminalEmulator terminal = new TerminalEmulator(40, 10);

    renderer.accept(message("[depot] Pulling build b1 from r/p:b1"));
    renderer.accept(blob("v1", "Pulling from team/app", 0, 0));
    renderer.accept(blob("feadccd94c4b", "Pulling fs layer", 0, 0));
    renderer.accept(blob("0b663a7546ea", "Pulling fs layer", 0, 0));
    renderer.accept(blob("feadccd94c4b", "Downloading", 1_070_080, 2_140_160));
    renderer.accept(blob("0b663a7546ea", "Download complete", 0, 0));
    renderer.accept(blob("feadccd94c4b", "Pull complete", 0, 0));
    renderer.accept(message("Digest: sha256:1234"));
    terminal.write(output());

    assertEquals(List.of(
        "[depot] Pulling build b1 from r/p:b1",
        "v1: Pulling from team/app",
        "feadccd94c4b: Pull complete",
        "0b663a7546ea: Download complete",
        "Digest: sha256:1234",
        ""), terminal.screen());
    assertEquals(0, terminal.wraps());
  }

  @Test
  void ttyMessageStartsNewGroup() {
    TtyTransferRenderer renderer = new TtyTransferRenderer(out, 80);
    renderer.accept(blob("aaaaaaaaaaaa", "Pushed", 0, 10));
    renderer.accept(message("[depot] Pushing build b1 as app:v2"));
    bytes.reset();

    renderer.accept(blob("aaaaaaaaaaaa", "Layer already exists", 0, 10));

    assertEquals("aaaaaaaaaaaa: Layer already exists 10B\n", output());
  }

  @Test
  void ttyUnchangedLinePrintsNothing() {
    TtyTransferRenderer renderer = new TtyTransferRenderer(out, 80);
    renderer.accept(blob("aaaaaaaaaaaa", "Waiting", 0, 0));
    bytes.reset();

    renderer.accept(blob("aaaaaaaaaaaa", "Waiting", 0, 0));

    assertEquals("", output());
  }

  @Test
  void ttyCutsLinesToWidth() {
    TtyTransferRenderer renderer = new TtyTransferRenderer(out, 20);
    TerminalEmulator terminal = new TerminalEmulator(20, 5);

    renderer.accept(blob("feadccd94c4b", "Downloading", 1_000, 2_140_160));
    renderer.accept(blob("feadccd94c4b", "Downloading", 2_000_000, 2_140_160));
    terminal.write(output());

    assertEquals(List.of("feadccd94c4b: Downl", ""), terminal.screen());
    assertEquals(0, terminal.wraps());
  }

  @Test
  void bytesShowDoneAndTotal() {
    assertEquals("1.00kB/2.00kB", TransferRenderer.bytes(blob("a", "Pushing", 1000, 2000)));
    assertEquals("2.00kB", TransferRenderer.bytes(blob("a", "Pushing", 0, 2000)));
    assertEquals("512B", TransferRenderer.bytes(blob("a", "Extracting", 512, 0)));
    assertEquals("", TransferRenderer.bytes(blob("a", "Waiting", 0, 0)));
  }

  @Test
  void shortDigestKeepsTwelveDigits() {
    assertEquals("feadccd94c4b", TransferEvent.shortDigest("sha256:feadccd94c4ba297304a7642ec0ab001"));
    assertEquals("abc", TransferEvent.shortDigest("sha256:abc"));
  }

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static TransferEvent.Message message(String text) {
    return new TransferEvent.Message(text);
  }

  private static TransferEvent.Blob blob(String id, String state, long current, long total) {
    return new TransferEvent.Blob(id, state, current, total);
  }
}

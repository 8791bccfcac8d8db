package dev.depotrunner.runner.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressOutputTest {

  private final Recorded.Log log = new Recorded.Log();

  private ProgressOutput output(boolean stopsCommands, String secret) {
    Iterator<String> tokens = List.of("token-1", "token-2", "token-3").iterator();
    return new ProgressOutput(log.stream, text -> text.replace(secret, "***"), stopsCommands, tokens::next);
  }

  @Test
  void buildOutputIsWrappedInStopCommands() {
    ProgressOutput output = output(true, "unused");
    PrintStream renderer = output.printStream();

    output.printReporterText("::group::Build steps\n");
    renderer.print("#5 ::error::pwned\n#5 ::add-mask::x\n");
    renderer.flush();
    output.printReporterText("::endgroup::\n");
    renderer.print("#6 \r::warning::pwned\n");
    renderer.flush();
    output.close();

    assertEquals("""
        ::group::Build steps
        ::stop-commands::token-1
        #5 ::error::pwned
        #5 ::add-mask::x
        ::token-1::
        ::endgroup::
        ::stop-commands::token-2
        #6 \r::warning::pwned
        ::token-2::
        """, log.text());
    assertEquals(List.of("::group::Build steps", "::endgroup::"), WorkflowCommands.processed(log.text()));
    assertFalse(WorkflowCommands.endsStopped(log.text()));
  }

  @Test
  void partialLineEndsBeforeResume() {
    ProgressOutput output = output(true, "unused");
    PrintStream renderer = output.printStream();

    renderer.print("#5 no newline");
    renderer.flush();
    output.close();

    assertEquals("::stop-commands::token-1\n#5 no newline\n::token-1::\n", log.text());
  }

  @Test
  void secretSplitAcrossWritesIsRedacted() {
    ProgressOutput output = output(false, "s3cr3t-value");
    PrintStream renderer = output.printStream();

    renderer.print("#5 token s3cr");
    renderer.flush();
    renderer.print("3t-value here\n");
    renderer.flush();

    assertEquals("#5 token *** here\n", log.text());
  }

  @Test
  void unfinishedLineIsHeldUntilClose() {
    ProgressOutput output = output(false, "s3cr3t-value");
    PrintStream renderer = output.printStream();

    renderer.print("#5 s3cr3t-value");
    renderer.flush();
    String beforeClose = log.text();
    output.close();

    assertEquals("", beforeClose);
    assertEquals("#5 ***", log.text());
  }

  @Test
  void longLineIsWrittenAtLimit() {
    ProgressOutput output = output(false, "unused");
    byte[] line = "x".repeat(ProgressOutput.MAX_HELD_BYTES + 10).getBytes(StandardCharsets.UTF_8);

    output.write(line, 0, line.length);

    assertEquals(ProgressOutput.MAX_HELD_BYTES, log.bytes.size());
  }
}

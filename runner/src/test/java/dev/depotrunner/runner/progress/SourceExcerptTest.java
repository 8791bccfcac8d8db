package dev.depotrunner.runner.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depotrunner.buildkit.progress.SourceLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceExcerptTest {

  private static final String DOCKERFILE =
      "FROM alpine:3.20 AS base\n"
          + "WORKDIR /app\n"
          + "\n"
          + "RUN echo \"checking prerequisites\" && \\\n"
          + "    echo \"missing libfoo\" >&2 && \\\n"
          + "    exit 3\n"
          + "\n"
          + "CMD [\"true\"]\n";

  private static String excerpt(String dockerfile, SourceLocation.LineRange... ranges) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SourceLocation source =
        new SourceLocation("Dockerfile", dockerfile.getBytes(StandardCharsets.UTF_8), List.of(ranges));
    SourceExcerpt.print(source, new TextOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void print_marksRangeWithOneLineAround() {
    String expected =
        "Dockerfile:4\n"
            + "--------------------\n"
            + "   3 |     \n"
            + "   4 | >>> RUN echo \"checking prerequisites\" && \\\n"
            + "   5 | >>>     echo \"missing libfoo\" >&2 && \\\n"
            + "   6 | >>>     exit 3\n"
            + "   7 |     \n"
            + "--------------------\n";

    assertEquals(expected, excerpt(DOCKERFILE, new SourceLocation.LineRange(4, 6)));
  }

  @Test
  void print_singleLineGetsTwoLinesAround() {
    String expected =
        "Dockerfile:2\n"
            + "--------------------\n"
            + "   1 |     FROM alpine:3.20 AS base\n"
            + "   2 | >>> WORKDIR /app\n"
            + "   3 |     \n"
            + "   4 |     RUN echo \"checking prerequisites\" && \\\n"
            + "--------------------\n";

    assertEquals(expected, excerpt(DOCKERFILE, new SourceLocation.LineRange(2, 2)));
  }

  @Test
  void print_lastLineShowsEmptyLineAfterNewline() {
    String expected =
        "Dockerfile:8\n"
            + "--------------------\n"
            + "   6 |         exit 3\n"
            + "   7 |     \n"
            + "   8 | >>> CMD [\"true\"]\n"
            + "   9 |     \n"
            + "--------------------\n";

    assertEquals(expected, excerpt(DOCKERFILE, new SourceLocation.LineRange(8, 8)));
  }

  @Test
  void print_marksEachOfSeveralRanges() {
    String output = excerpt(DOCKERFILE, new SourceLocation.LineRange(1, 1), new SourceLocation.LineRange(3, 3));

    assertEquals(
        "Dockerfile:1\n"
            + "--------------------\n"
            + "   1 | >>> FROM alpine:3.20 AS base\n"
            + "   2 |     WORKDIR /app\n"
            + "   3 | >>> \n"
            + "   4 |     RUN echo \"checking prerequisites\" && \\\n"
            + "--------------------\n",
        output);
  }

  @Test
  void print_skipsRangeOutsideFile() {
    assertEquals("", excerpt(DOCKERFILE, new SourceLocation.LineRange(40, 41)));
    assertEquals("", excerpt(DOCKERFILE, new SourceLocation.LineRange(0, 0)));
    assertEquals("", excerpt(DOCKERFILE));
  }

  @Test
  void print_clampsRangeEndToFile() {
    String output = excerpt("FROM busybox\nRUN true", new SourceLocation.LineRange(2, 9));

    assertEquals(
        "Dockerfile:2\n"
            + "--------------------\n"
            + "   1 |     FROM busybox\n"
            + "   2 | >>> RUN true\n"
            + "--------------------\n",
        output);
  }
}

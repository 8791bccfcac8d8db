package dev.depotrunner.runner.progress;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The stream progress is written to. Text is always encoded as UTF-8, whatever the platform's
 * default charset, and build output bytes are written as BuildKit sent them.
 */
final class TextOutput {

  private final PrintStream stream;

  TextOutput(PrintStream stream) {
    this.stream = stream;
  }

  void print(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    stream.write(bytes, 0, bytes.length);
  }

  void print(char character) {
    print(String.valueOf(character));
  }

  void write(byte[] bytes, int offset, int length) {
    stream.write(bytes, offset, length);
  }

  void flush() {
    stream.flush();
  }
}

package dev.depotrunner.runner.terminal;

import java.io.IOException;
import java.io.PushbackInputStream;

/** A key press that {@link TableBrowser} acts on, decoded from the bytes a terminal sends. */
public enum Key {
  UP,
  DOWN,
  PAGE_UP,
  PAGE_DOWN,
  HOME,
  END,
  ENTER,
  /** {@code q} or Esc. */
  BACK,
  /** Ctrl-C, which arrives as a byte only when the terminal does not turn it into SIGINT. */
  INTERRUPT,
  OTHER;

  private static final int ESCAPE = 0x1b;

  /**
   * Reads one key from {@code in}, or returns null at the end of input. Arrow keys are read in
   * both the normal ({@code ESC [ A}) and the application ({@code ESC O A}) cursor mode. An Esc
   * byte that no {@code [} or {@code O} follows right away is the Esc key.
   */
  public static Key read(PushbackInputStream in) throws IOException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    return switch (first) {
      case 'k' -> UP;
      case 'j' -> DOWN;
      case 'g' -> HOME;
      case 'G' -> END;
      case '\r', '\n' -> ENTER;
      case 'q' -> BACK;
      case 0x03 -> INTERRUPT;
      case ESCAPE -> readEscape(in);
      default -> OTHER;
    };
  }

  private static Key readEscape(PushbackInputStream in) throws IOException {
    // A terminal sends an escape sequence in one write, so an Esc with no bytes waiting after it is the Esc key.
    if (in.available() == 0) {
      return BACK;
    }
    int introducer = in.read();
    if (introducer != '[' && introducer != 'O') {
      in.unread(introducer);
      return BACK;
    }

    StringBuilder parameters = new StringBuilder();
    int next = in.read();
    while (next >= '0' && next <= '9' || next == ';') {
      parameters.append((char) next);
      next = in.read();
    }
    return switch (next) {
      case 'A' -> UP;
      case 'B' -> DOWN;
      case 'H' -> HOME;
      case 'F' -> END;
      case '~' -> switch (parameters.toString()) {
        case "5" -> PAGE_UP;
        case "6" -> PAGE_DOWN;
        case "1", "7" -> HOME;
        case "4", "8" -> END;
        default -> OTHER;
      };
      default -> OTHER;
    };
  }
}

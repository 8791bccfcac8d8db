package dev.depotrunner.runner.progress;

/** The ANSI escape sequences the renderers use, as docker buildx writes them. */
final class Ansi {

  static final String RESET = "\u001b[0m";
  static final String BLUE = "\u001b[34m";
  static final String YELLOW = "\u001b[33m";
  static final String RED = "\u001b[31m";
  static final String FAINT = "\u001b[2m";
  static final String HIDE_CURSOR = "\u001b[?25l";
  static final String SHOW_CURSOR = "\u001b[?25h";
  static final String ERASE_DOWN = "\u001b[0J";
  static final String ERASE_LINE = "\u001b[2K";

  private Ansi() {}

  static String up(int lines) {
    return lines == 0 ? "" : "\u001b[" + lines + "A";
  }

  static String down(int lines) {
    return lines == 0 ? "" : "\u001b[" + lines + "B";
  }

  static String column(int column) {
    return "\u001b[" + column + "G";
  }

  /** Wraps text in a color and a reset, or returns it as is when the color is null. */
  static String apply(String text, String color) {
    return color == null ? text : color + text + RESET;
  }
}

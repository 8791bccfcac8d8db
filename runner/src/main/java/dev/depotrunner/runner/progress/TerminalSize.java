package dev.depotrunner.runner.progress;

/** A terminal's size in columns and rows. */
record TerminalSize(int width, int height) {}

package dev.depotrunner.hcl;

/**
 * A value that a function or conversion cannot accept. It has no position: the evaluator adds the position
 * of the call or of the argument at {@link #argument()}.
 */
public class ValueException extends Exception {

  private final int argument;

  public ValueException(String message) {
    this(-1, message);
  }

  /** A problem with the argument at index {@code argument}, counting from 0. */
  public ValueException(int argument, String message) {
    super(message);
    this.argument = argument;
  }

  /** The index of the offending argument, or -1 when the problem is not with one argument. */
  public int argument() {
    return argument;
  }
}

package dev.depotrunner.hcl;

/**
 * A syntax or evaluation error at a position. The message starts with {@code file:line:column: } and then
 * says what to fix; {@link #detail()} is the message without the position.
 */
public class HclException extends Exception {

  private final Position position;
  private final String detail;

  public HclException(Position position, String detail) {
    super(position + ": " + detail);
    this.position = position;
    this.detail = detail;
  }

  public HclException(Position position, String detail, Throwable cause) {
    super(position + ": " + detail, cause);
    this.position = position;
    this.detail = detail;
  }

  public Position position() {
    return position;
  }

  /** The message without the leading position. */
  public String detail() {
    return detail;
  }
}

package dev.depotrunner.steps.build.options;

/**
 * A flag value that cannot be used, with a one-line message that names the value and how to fix it,
 * such as {@code invalid image reference "a:b:c": use [registry/]repository[:tag]}.
 */
public class InvalidOptionException extends IllegalArgumentException {

  public InvalidOptionException(String message) {
    super(message);
  }

  public InvalidOptionException(String message, Throwable cause) {
    super(message, cause);
  }
}

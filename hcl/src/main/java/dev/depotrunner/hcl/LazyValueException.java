package dev.depotrunner.hcl;

/**
 * Carries an {@link HclException} out of a {@code Map} or {@code List} whose elements are computed on first
 * access, since those interfaces cannot throw checked exceptions. {@link EvalContext#evaluate} unwraps it.
 */
public final class LazyValueException extends RuntimeException {

  public LazyValueException(HclException cause) {
    super(cause);
  }

  @Override
  public synchronized HclException getCause() {
    return (HclException) super.getCause();
  }
}

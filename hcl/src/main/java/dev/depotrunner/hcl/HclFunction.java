package dev.depotrunner.hcl;

import java.util.List;

/**
 * A function callable from expressions. The evaluator checks the argument count against
 * {@link #minimumArguments()} and {@link #maximumArguments()} before {@link #call}.
 */
public interface HclFunction {

  /** The body of a function; argument values arrive already evaluated. */
  @FunctionalInterface
  interface Body {
    Object call(List<Object> arguments) throws ValueException;
  }

  int minimumArguments();

  /** The maximum argument count, or -1 for any number. */
  int maximumArguments();

  Object call(List<Object> arguments) throws ValueException;

  /** A function taking exactly {@code count} arguments. */
  static HclFunction of(int count, Body body) {
    return range(count, count, body);
  }

  /** A function taking at least {@code minimum} arguments. */
  static HclFunction variadic(int minimum, Body body) {
    return range(minimum, -1, body);
  }

  static HclFunction range(int minimum, int maximum, Body body) {
    return new HclFunction() {
      @Override
      public int minimumArguments() {
        return minimum;
      }

      @Override
      public int maximumArguments() {
        return maximum;
      }

      @Override
      public Object call(List<Object> arguments) throws ValueException {
        return body.call(arguments);
      }
    };
  }

  /**
   * A function that receives its arguments unevaluated, as {@code try} and {@code can} must, so it can catch
   * their evaluation errors.
   */
  interface Lazy extends HclFunction {

    /** An argument not yet evaluated, with its expression for functions that read it as a type. */
    interface Argument {
      Object evaluate() throws HclException;

      Expression expression();
    }

    Object callLazy(List<Argument> arguments) throws HclException, ValueException;

    @Override
    default Object call(List<Object> arguments) {
      throw new UnsupportedOperationException("a lazy function is called through callLazy");
    }
  }
}

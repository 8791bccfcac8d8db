package dev.depotrunner.steps.build.options;

import java.util.List;

/**
 * Every problem found while building {@link BuildOptions}, one line each, so that a user fixes them all
 * in one round. Each line starts with the flag it is about, such as {@code --tag: invalid image reference
 * "Foo/bar": repository name must be lowercase}.
 */
public final class InvalidBuildOptionsException extends Exception {

  private final List<String> problems;

  public InvalidBuildOptionsException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}

package dev.depotrunner.steps.build;

import java.util.Optional;

/**
 * The build options ask for something the builder cannot do, such as several platforms on a Docker Engine
 * without the containerd image store, or more outputs than an old BuildKit accepts. The message is one
 * line that names the flag and the fix.
 */
public final class SolvePlanException extends Exception {

  private final SolvePlan.Requirement requirement;

  SolvePlanException(String message) {
    this(message, null);
  }

  SolvePlanException(String message, SolvePlan.Requirement requirement) {
    super(message);
    this.requirement = requirement;
  }

  /** The capability the builder lacks, when a BuildKit release would add it. */
  public Optional<SolvePlan.Requirement> requirement() {
    return Optional.ofNullable(requirement);
  }
}

package dev.depotrunner.oidc;

import java.util.Objects;

/**
 * The claims of a CI job's OIDC token that name the job. None of them is secret.
 *
 * @param issuer the {@code iss} claim, such as {@code https://token.actions.githubusercontent.com}
 * @param subject the {@code sub} claim
 * @param repository the repository or pipeline the job belongs to, empty when the token names none
 */
public record IdentitySummary(String issuer, String subject, String repository) {

  public IdentitySummary {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(repository, "repository");
  }

  /** Returns one line for the runner's log. */
  public String describe() {
    String named = repository.isEmpty() ? "no repository claim" : "repository " + repository;
    return "OIDC identity: issuer " + issuer + ", subject " + subject + ", " + named;
  }
}

package dev.depotrunner.oidc;

import java.util.Optional;
import java.util.function.Consumer;

/** One CI system's way to get a Depot token from the job's OIDC identity. */
interface IdentityProvider {

  /** Returns the CI system's name, as used in the token's source and in debug lines. */
  String name();

  /**
   * Looks for the job's identity. A provider whose CI is absent returns a skipped attempt; a
   * provider whose CI is present but whose token is unusable throws.
   *
   * @param secrets receives a CI credential that the provider exchanges for a Depot token, before
   *     the exchange. A CI token used as the Depot token itself is not passed, because the caller
   *     masks the returned token.
   */
  Attempt attempt(Environment environment, Consumer<String> secrets) throws IdentityException;

  /**
   * The outcome of one provider.
   *
   * @param token the Depot token, when the provider found an identity
   * @param explanation one line for DEPOT_DEBUG_OIDC, never containing a token
   * @param missingIdentity the error message to throw when no other credential turns up, for a CI
   *     that is present but issued no identity to this job
   */
  record Attempt(Optional<DepotToken> token, String explanation, Optional<String> missingIdentity) {

    static Attempt found(DepotToken token, String explanation) {
      return new Attempt(Optional.of(token), explanation, Optional.empty());
    }

    static Attempt skipped(String explanation) {
      return new Attempt(Optional.empty(), explanation, Optional.empty());
    }

    static Attempt missing(String explanation, String error) {
      return new Attempt(Optional.empty(), explanation, Optional.of(error));
    }
  }
}

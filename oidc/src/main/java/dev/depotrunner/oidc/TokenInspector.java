package dev.depotrunner.oidc;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the claims of a CI job's OIDC token before it is used, so that an expired token or one
 * meant for another service fails here with a clear message instead of as a 401 from Depot. The
 * signature is not checked, because Depot checks it and the claims serve only for messages here.
 */
final class TokenInspector {

  static final String DEPOT_AUDIENCE = "https://depot.dev";

  private final Clock clock;

  TokenInspector(Clock clock) {
    this.clock = clock;
  }

  /**
   * Checks expiry and audience and returns the identity the token names.
   *
   * @param token the OIDC token (a JWT)
   * @param origin where the token came from, for messages, such as "DEPOT_OIDC_TOKEN"
   * @param audienceFix what to change when the audience is wrong; null to skip the audience check
   * @param repository reads the repository or pipeline from the claims, empty when there is none
   */
  IdentitySummary inspect(String token, String origin, String audienceFix,
      Function<JWTClaimsSet, String> repository) throws IdentityException {
    JWTClaimsSet claims = parseClaims(token, origin);

    IdentitySummary identity = new IdentitySummary(
        nonNull(claims.getIssuer()), nonNull(claims.getSubject()), repository.apply(claims));

    Date expiry = claims.getExpirationTime();
    Instant now = clock.instant();
    if (expiry != null && !expiry.toInstant().isAfter(now)) {
      throw new IdentityException("the OIDC token from " + origin + " expired at "
          + expiry.toInstant() + " (" + identity.describe() + "); rerun the job so the CI issues a"
          + " fresh token");
    }

    if (audienceFix != null) {
      List<String> audience = claims.getAudience();
      if (!audience.contains(DEPOT_AUDIENCE)) {
        throw new IdentityException("the OIDC token from " + origin + " has audience " + audience
            + ", expected " + DEPOT_AUDIENCE + " (" + identity.describe() + "); " + audienceFix);
      }
    }
    return identity;
  }

  private static JWTClaimsSet parseClaims(String token, String origin) throws IdentityException {
    try {
      JWT jwt = JWTParser.parse(token);
      return jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      // Nimbus messages name the malformed part (header, claims JSON) but not the serialized token.
      throw new IdentityException("the OIDC token from " + origin + " is not a valid JWT ("
          + e.getMessage() + "); check that " + origin + " holds the CI's ID token", e);
    }
  }

  /** Returns a reader of the first of these string claims that is set. */
  static Function<JWTClaimsSet, String> firstClaim(String... names) {
    return claims -> {
      for (String name : names) {
        String value = stringClaim(claims, name);
        if (!value.isEmpty()) {
          return value;
        }
      }
      return "";
    };
  }

  static String stringClaim(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    return value instanceof String text ? text : "";
  }

  private static String nonNull(String value) {
    return value == null ? "" : value;
  }
}

package dev.depotrunner.controlplane.registry;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;

/**
 * Issues Docker registry Bearer tokens (the token protocol of the Distribution project): a
 * client sends {@code GET <realm>?service=...&scope=repository:<name>:pull,push} with Basic
 * credentials and receives a JWT that lists the granted access. Tokens are ES256-signed and
 * carry the issuer's certificate in their {@code x5c} header, so a registry whose {@code
 * rootcertbundle} contains that certificate accepts them.
 *
 * <p>A user that {@code credentials} accepts gets each requested action that {@code
 * repositoryAccess} allows; without that rule, every requested action. A request without credentials,
 * or with credentials that {@code credentials} rejects, gets 401.
 */
public final class RegistryTokenIssuer implements HttpHandler {

  private static final System.Logger LOG = System.getLogger(RegistryTokenIssuer.class.getName());

  /** The realm path that scripts/local-env configures in its token registry. */
  public static final String REALM_PATH = "/registry/token";

  private final String issuer;
  private final String service;
  private final ECPrivateKey key;
  private final X509Certificate certificate;
  private final BiPredicate<String, String> credentials;
  private final RepositoryAccess repositoryAccess;
  private final Duration lifetime;
  private final AtomicInteger issued = new AtomicInteger();

  /** Decides whether an authenticated user may take one action on one repository. */
  @FunctionalInterface
  public interface RepositoryAccess {

    /** Grants every action on every repository. */
    RepositoryAccess ALL = (user, password, repository, action) -> true;

    /**
     * Returns whether the user that signed in with {@code password} may take {@code action} (such
     * as {@code pull} or {@code push}) on {@code repository}.
     */
    boolean allows(String user, String password, String repository, String action);
  }

  public RegistryTokenIssuer(
      String issuer,
      String service,
      ECPrivateKey key,
      X509Certificate certificate,
      BiPredicate<String, String> credentials,
      Duration lifetime) {
    this(issuer, service, key, certificate, credentials, RepositoryAccess.ALL, lifetime);
  }

  public RegistryTokenIssuer(
      String issuer,
      String service,
      ECPrivateKey key,
      X509Certificate certificate,
      BiPredicate<String, String> credentials,
      RepositoryAccess repositoryAccess,
      Duration lifetime) {
    this.issuer = Objects.requireNonNull(issuer);
    this.service = Objects.requireNonNull(service);
    this.key = Objects.requireNonNull(key);
    this.certificate = Objects.requireNonNull(certificate);
    this.credentials = Objects.requireNonNull(credentials);
    this.repositoryAccess = Objects.requireNonNull(repositoryAccess);
    this.lifetime = Objects.requireNonNull(lifetime);
  }

  /**
   * Creates the issuer that the token registry of scripts/local-env trusts, from the variables
   * that {@code scripts/local-env env} exports: DEPOT_RUNNER_TOKEN_ISSUER,
   * DEPOT_RUNNER_TOKEN_SERVICE, DEPOT_RUNNER_TOKEN_ISSUER_KEY and DEPOT_RUNNER_TOKEN_ISSUER_CERT.
   */
  public static RegistryTokenIssuer fromLocalEnv(
      Map<String, String> environment, BiPredicate<String, String> credentials)
      throws IOException {
    return fromLocalEnv(environment, credentials, RepositoryAccess.ALL);
  }

  /**
   * Creates the issuer that the token registry of scripts/local-env trusts, granting only what
   * {@code repositoryAccess} allows.
   */
  public static RegistryTokenIssuer fromLocalEnv(
      Map<String, String> environment,
      BiPredicate<String, String> credentials,
      RepositoryAccess repositoryAccess)
      throws IOException {
    return new RegistryTokenIssuer(
        required(environment, "DEPOT_RUNNER_TOKEN_ISSUER"),
        required(environment, "DEPOT_RUNNER_TOKEN_SERVICE"),
        readKey(Path.of(required(environment, "DEPOT_RUNNER_TOKEN_ISSUER_KEY"))),
        readCertificate(Path.of(required(environment, "DEPOT_RUNNER_TOKEN_ISSUER_CERT"))),
        credentials,
        repositoryAccess,
        Duration.ofMinutes(5));
  }

  /**
   * Starts an HTTP server on {@code address} that serves this issuer at {@link #REALM_PATH}.
   * The caller stops it with {@link HttpServer#stop(int)}.
   */
  public HttpServer serve(InetSocketAddress address) throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    server.createContext(REALM_PATH, this);
    server.start();
    return server;
  }

  /** The number of tokens issued so far. */
  public int issuedTokens() {
    return issued.get();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        respond(exchange, 405, "{\"details\":\"use GET\"}");
        return;
      }

      Login login = login(exchange.getRequestHeaders().getFirst("Authorization"));
      if (login == null) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + service + "\"");
        respond(exchange, 401, "{\"details\":\"invalid or missing credentials\"}");
        return;
      }

      Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
      String requestedService = first(query, "service");
      if (requestedService != null && !requestedService.equals(service)) {
        respond(exchange, 400, "{\"details\":\"unknown service " + requestedService + "\"}");
        return;
      }

      List<Map<String, Object>> access = granted(login, access(query.getOrDefault("scope", List.of())));
      String token = issue(login.user(), access);
      Instant now = Instant.now();
      respond(exchange, 200, "{\"token\":\"" + token + "\",\"access_token\":\"" + token
          + "\",\"expires_in\":" + lifetime.toSeconds() + ",\"issued_at\":\"" + now + "\"}");
    } catch (RuntimeException | JOSEException e) {
      LOG.log(Level.WARNING, "failed to issue a registry token", e);
      throw new IOException("failed to issue a registry token", e);
    }
  }

  /** Signs a token for {@code subject} that grants {@code access}. */
  public String issue(String subject, List<Map<String, Object>> access) throws JOSEException {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(subject)
        .audience(service)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(lifetime)))
        .jwtID(UUID.randomUUID().toString())
        .claim("access", access)
        .build();
    JWSHeader header;
    try {
      header = new JWSHeader.Builder(JWSAlgorithm.ES256)
          .type(JOSEObjectType.JWT)
          .x509CertChain(List.of(Base64.encode(certificate.getEncoded())))
          .build();
    } catch (CertificateEncodingException e) {
      throw new JOSEException("failed to encode the issuer certificate", e);
    }
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(new ECDSASigner(key));
    issued.incrementAndGet();
    return jwt.serialize();
  }

  /** Turns {@code repository:<name>:<actions>} scopes into access claims; others are skipped. */
  static List<Map<String, Object>> access(List<String> scopes) {
    List<Map<String, Object>> access = new ArrayList<>();
    for (String scope : scopes) {
      for (String single : scope.split(" ")) {
        int first = single.indexOf(':');
        int last = single.lastIndexOf(':');
        if (first < 0 || last <= first) {
          continue;
        }
        String type = single.substring(0, first);
        if (!type.equals("repository")) {
          continue;
        }
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("type", type);
        claim.put("name", single.substring(first + 1, last));
        claim.put("actions", List.of(single.substring(last + 1).split(",")));
        access.add(claim);
      }
    }
    return access;
  }

  /** Keeps of each requested claim the actions that the repository access allows {@code login}. */
  private List<Map<String, Object>> granted(Login login, List<Map<String, Object>> requested) {
    List<Map<String, Object>> granted = new ArrayList<>();
    for (Map<String, Object> claim : requested) {
      String repository = (String) claim.get("name");
      @SuppressWarnings("unchecked")
      List<String> actions = (List<String>) claim.get("actions");
      List<String> allowed = actions.stream()
          .filter(action -> repositoryAccess.allows(login.user(), login.password(), repository, action))
          .toList();
      if (allowed.isEmpty()) {
        continue;
      }
      Map<String, Object> grantedClaim = new LinkedHashMap<>(claim);
      grantedClaim.put("actions", allowed);
      granted.add(grantedClaim);
    }
    return granted;
  }

  /** A user and the password it signed in with; {@link #toString()} hides the password. */
  private record Login(String user, String password) {
    @Override
    public String toString() {
      return "Login[user=" + user + "]";
    }
  }

  private Login login(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String pair;
    try {
      pair = new String(
          java.util.Base64.getDecoder().decode(authorization.substring(6).trim()),
          StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = pair.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    String user = pair.substring(0, colon);
    String password = pair.substring(colon + 1);
    return credentials.test(user, password) ? new Login(user, password) : null;
  }

  private static Map<String, List<String>> query(String rawQuery) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    if (rawQuery == null) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      int equals = pair.indexOf('=');
      String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals),
          StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1),
          StandardCharsets.UTF_8);
      parameters.computeIfAbsent(name, ignored -> new ArrayList<>()).add(value);
    }
    return parameters;
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String required(Map<String, String> environment, String name) {
    String value = environment.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException(
          name + " is not set; run eval \"$(scripts/local-env env)\" first");
    }
    return value;
  }

  /** Reads an EC private key from a PKCS#8 PEM file, as {@code openssl req -newkey ec} writes. */
  static ECPrivateKey readKey(Path file) throws IOException {
    String pem = Files.readString(file);
    String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
    try {
      byte[] der = java.util.Base64.getDecoder().decode(base64);
      return (ECPrivateKey) KeyFactory.getInstance("EC")
          .generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      throw new IOException("invalid EC private key in " + file
          + ": expected a PKCS#8 PEM file (BEGIN PRIVATE KEY)", e);
    }
  }

  static X509Certificate readCertificate(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (GeneralSecurityException e) {
      throw new IOException("invalid X.509 certificate in " + file, e);
    }
  }
}

package dev.depotrunner.buildkit.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The registry credentials of a docker CLI config ({@code $DOCKER_CONFIG/config.json}, by default
 * {@code ~/.docker/config.json}), looked up the way the docker CLI and buildx do.
 *
 * <p>A lookup for a host checks, in order: the {@code DOCKER_AUTH_CONFIG} variable, then the
 * credential helper for that host ({@code credHelpers}) or the default one ({@code credsStore}),
 * and otherwise the {@code auths} entries. Keys of {@code auths} and {@code DOCKER_AUTH_CONFIG}
 * match by their host name, so {@code https://ghcr.io/v2/} serves {@code ghcr.io}. Docker Hub credentials are stored under
 * {@code https://index.docker.io/v1/}. Keys naming {@code docker.io}, {@code index.docker.io} or
 * {@code registry-1.docker.io} also match Docker Hub here, although the docker CLI ignores them.
 *
 * <p>Like the docker CLI, a config file that cannot be parsed is ignored with a warning. Unlike
 * it, an {@code auths} entry whose {@code auth} field is invalid is skipped alone, with a
 * warning, rather than discarding the whole file.
 */
public final class DockerConfig {

  private static final System.Logger LOG = System.getLogger(DockerConfig.class.getName());
  private static final String CONFIG_FILE_NAME = "config.json";
  private static final String AUTH_CONFIG_VARIABLE = "DOCKER_AUTH_CONFIG";

  /** Maximum time a credential helper may take; BuildKit gives up on a session call after 60 s. */
  private static final Duration HELPER_TIMEOUT = Duration.ofSeconds(30);

  private final Path directory;
  private final Map<String, RegistryCredentials> auths;
  private final String credentialsStore;
  private final Map<String, String> credentialHelpers;
  private final Map<String, RegistryCredentials> environmentAuths;
  private final Map<String, String> environment;

  private DockerConfig(
      Path directory,
      Map<String, RegistryCredentials> auths,
      String credentialsStore,
      Map<String, String> credentialHelpers,
      Map<String, RegistryCredentials> environmentAuths,
      Map<String, String> environment) {
    this.directory = directory;
    this.auths = auths;
    this.credentialsStore = credentialsStore;
    this.credentialHelpers = credentialHelpers;
    this.environmentAuths = environmentAuths;
    this.environment = environment;
  }

  /** Returns {@code $DOCKER_CONFIG}, else {@code $HOME/.docker}, as the docker CLI picks it. */
  public static Path defaultDirectory(Map<String, String> environment) {
    String override = environment.getOrDefault("DOCKER_CONFIG", "");
    if (!override.isEmpty()) {
      return Path.of(override);
    }
    String home = environment.getOrDefault("HOME", "");
    if (home.isEmpty()) {
      home = System.getProperty("user.home");
    }
    return Path.of(home, ".docker");
  }

  /** Loads the config from {@link #defaultDirectory}. See {@link #load(Path, Map)}. */
  public static DockerConfig load(Map<String, String> environment) {
    return load(defaultDirectory(environment), environment);
  }

  /**
   * Loads {@code config.json} from {@code directory}. A missing file is an empty config.
   *
   * @param environment the variables credential helpers run with (and are searched for on its
   *     {@code PATH}), and the source of {@code DOCKER_AUTH_CONFIG}
   */
  public static DockerConfig load(Path directory, Map<String, String> environment) {
    Path file = directory.resolve(CONFIG_FILE_NAME);
    Map<String, String> variables = Map.copyOf(environment);
    Map<String, RegistryCredentials> environmentAuths = parseEnvironmentAuths(variables);

    JsonNode root;
    try {
      root = readConfigFile(file);
    } catch (CredentialsException e) {
      LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; using no registry credentials from it");
      root = JsonTrees.emptyObject();
    }

    Map<String, RegistryCredentials> auths = parseAuths(root, file);
    String credentialsStore = JsonFields.text(root, "credsStore");
    Map<String, String> credentialHelpers = parseCredentialHelpers(root);
    if (auths.isEmpty() && credentialsStore.isEmpty() && credentialHelpers.isEmpty()) {
      credentialsStore = detectDefaultStore(variables);
    }

    return new DockerConfig(
        directory, auths, credentialsStore, credentialHelpers, environmentAuths, variables);
  }

  /** The directory the config was loaded from, where buildx also keeps its token seeds. */
  public Path directory() {
    return directory;
  }

  /**
   * Returns the credentials stored for a registry, or {@link RegistryCredentials#none()}.
   *
   * @param host a registry host as BuildKit names it ({@code registry-1.docker.io},
   *     {@code ghcr.io}, {@code localhost:5000}); a URL is reduced to its host
   * @throws CredentialsException if the configured credential helper is missing or fails
   */
  public RegistryCredentials credentials(String host) throws CredentialsException {
    String key = RegistryHosts.configKey(host);

    RegistryCredentials fromEnvironment = match(environmentAuths, key);
    if (fromEnvironment != null) {
      return fromEnvironment;
    }

    String helperName = credentialHelpers.getOrDefault(key, credentialsStore);
    if (helperName.isEmpty()) {
      return fileCredentials(key);
    }
    RegistryCredentials fromHelper = helper(helperName, key).get(key);

    // The docker CLI keeps a registry token from the file next to what the helper returns.
    return new RegistryCredentials(
        fromHelper.username(),
        fromHelper.password(),
        fromHelper.identityToken(),
        fileCredentials(key).registryToken());
  }

  private CredentialHelper helper(String name, String key) throws CredentialsException {
    Optional<CredentialHelper> helper = CredentialHelper.find(name, environment, HELPER_TIMEOUT);
    if (helper.isPresent()) {
      return helper.get();
    }
    String setting = credentialHelpers.containsKey(key) ? "credHelpers[\"" + key + "\"]" : "credsStore";
    throw new CredentialsException(
        String.format(
            "credential helper %s%s, set by %s in %s, was not found in PATH; install it or remove the setting",
            CredentialHelper.PROGRAM_PREFIX, name, setting, directory.resolve(CONFIG_FILE_NAME)));
  }

  private RegistryCredentials fileCredentials(String key) {
    RegistryCredentials credentials = match(auths, key);
    return credentials == null ? RegistryCredentials.none() : credentials;
  }

  /**
   * Returns the entry for a config key: the exact key, else the first whose host name matches, or
   * null. The docker CLI matches host names only in the file, not in {@code DOCKER_AUTH_CONFIG}.
   */
  private static RegistryCredentials match(Map<String, RegistryCredentials> entries, String key) {
    RegistryCredentials exact = entries.get(key);
    if (exact != null) {
      return exact;
    }

    boolean dockerHub = key.equals(RegistryHosts.DOCKER_HUB_CONFIG_KEY);
    for (Map.Entry<String, RegistryCredentials> entry : entries.entrySet()) {
      String hostname = RegistryHosts.toHostname(entry.getKey());
      if (hostname.equals(key) || (dockerHub && RegistryHosts.isDockerHub(hostname))) {
        return entry.getValue();
      }
    }
    return null;
  }

  private static JsonNode readConfigFile(Path file) throws CredentialsException {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return JsonTrees.emptyObject();
    } catch (IOException e) {
      throw new CredentialsException("failed to read docker config " + file + ": " + e, e);
    }

    JsonNode root;
    try {
      root = JsonTrees.read(data);
    } catch (IOException e) {
      // The parser's message quotes the file's text, which may contain credentials.
      throw new CredentialsException("docker config " + file + " is not valid JSON");
    }
    if (root == null || root.isMissingNode()) {
      return JsonTrees.emptyObject();
    }
    if (!root.isObject()) {
      throw new CredentialsException("docker config " + file + " does not contain a JSON object");
    }
    return root;
  }

  private static Map<String, RegistryCredentials> parseAuths(JsonNode root, Path file) {
    Map<String, RegistryCredentials> auths = new LinkedHashMap<>();
    JsonNode entries = JsonFields.get(root, "auths");
    if (entries == null || !entries.isObject()) {
      return auths;
    }

    for (Iterator<Map.Entry<String, JsonNode>> fields = entries.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getValue().isObject()) {
        continue;
      }
      try {
        auths.put(field.getKey(), parseAuthEntry(field.getValue()));
      } catch (CredentialsException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "skipping auths entry \"" + field.getKey() + "\" of " + file + ": " + e.getMessage());
      }
    }
    return auths;
  }

  private static RegistryCredentials parseAuthEntry(JsonNode entry) throws CredentialsException {
    String username = JsonFields.text(entry, "username");
    String password = JsonFields.text(entry, "password");
    String auth = JsonFields.text(entry, "auth");
    if (!auth.isEmpty()) {
      String[] decoded = decodeAuth(auth);
      username = decoded[0];
      password = decoded[1];
    }
    return new RegistryCredentials(
        username,
        password,
        JsonFields.text(entry, "identitytoken"),
        JsonFields.text(entry, "registrytoken"));
  }

  /** Splits a base64 {@code user:password} value; the error never contains the decoded text. */
  static String[] decodeAuth(String auth) throws CredentialsException {
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(auth.replace("\r", "").replace("\n", ""));
    } catch (IllegalArgumentException e) {
      throw new CredentialsException("its auth field is not valid base64");
    }

    String text = new String(decoded, StandardCharsets.UTF_8);
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new CredentialsException("its auth field does not decode to user:password");
    }
    String password = text.substring(colon + 1).replaceAll("^\u0000+|\u0000+$", "");
    return new String[] {text.substring(0, colon), password};
  }

  private static Map<String, String> parseCredentialHelpers(JsonNode root) {
    Map<String, String> helpers = new LinkedHashMap<>();
    JsonNode entries = JsonFields.get(root, "credHelpers");
    if (entries == null || !entries.isObject()) {
      return helpers;
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = entries.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getValue().isTextual()) {
        helpers.put(field.getKey(), field.getValue().textValue());
      }
    }
    return helpers;
  }

  /**
   * Parses {@code DOCKER_AUTH_CONFIG}: {@code {"auths": {"HOST": {"auth": "BASE64"}}}} and nothing
   * else. As in the docker CLI, an invalid value is ignored with a warning.
   */
  private static Map<String, RegistryCredentials> parseEnvironmentAuths(
      Map<String, String> environment) {
    String value = environment.getOrDefault(AUTH_CONFIG_VARIABLE, "");
    if (value.isEmpty()) {
      return Map.of();
    }
    try {
      return parseEnvironmentValue(value);
    } catch (CredentialsException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "ignoring " + AUTH_CONFIG_VARIABLE + ": " + e.getMessage());
      return Map.of();
    }
  }

  private static Map<String, RegistryCredentials> parseEnvironmentValue(String value)
      throws CredentialsException {
    JsonNode root;
    try {
      root = JsonTrees.read(value);
    } catch (IOException e) {
      throw new CredentialsException("the value is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new CredentialsException("the value is not a JSON object");
    }

    Map<String, RegistryCredentials> auths = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getKey().equalsIgnoreCase("auths")) {
        throw new CredentialsException("unknown field \"" + field.getKey() + "\"; only auths is allowed");
      }
      if (!field.getValue().isObject()) {
        throw new CredentialsException("auths is not a JSON object");
      }
      for (Iterator<Map.Entry<String, JsonNode>> entries = field.getValue().fields();
          entries.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = entries.next();
        auths.put(entry.getKey(), parseEnvironmentEntry(entry.getKey(), entry.getValue()));
      }
    }
    return auths;
  }

  private static RegistryCredentials parseEnvironmentEntry(String address, JsonNode entry)
      throws CredentialsException {
    if (!entry.isObject()) {
      throw new CredentialsException("the entry for " + address + " is not a JSON object");
    }
    for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equalsIgnoreCase("auth")) {
        throw new CredentialsException(
            "unknown field \"" + name + "\" for " + address + "; only auth is allowed");
      }
    }

    String auth = JsonFields.text(entry, "auth");
    if (auth.isEmpty()) {
      throw new CredentialsException("the entry for " + address + " is missing the auth field");
    }
    try {
      String[] decoded = decodeAuth(auth);
      return RegistryCredentials.basic(decoded[0], decoded[1]);
    } catch (CredentialsException e) {
      throw new CredentialsException("the entry for " + address + ": " + e.getMessage());
    }
  }

  /**
   * Returns the platform's credential helper when it is installed, as the docker CLI does for a
   * config without any credentials: {@code osxkeychain} on macOS, {@code wincred} on Windows,
   * otherwise {@code pass} when the {@code pass} program exists, else {@code secretservice}.
   */
  private static String detectDefaultStore(Map<String, String> environment) {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String platformDefault;
    if (os.contains("mac")) {
      platformDefault = "osxkeychain";
    } else if (os.contains("windows")) {
      platformDefault = "wincred";
    } else if (CredentialHelper.findProgram("pass", environment).isPresent()) {
      platformDefault = "pass";
    } else {
      platformDefault = "secretservice";
    }

    boolean installed =
        CredentialHelper.findProgram(CredentialHelper.PROGRAM_PREFIX + platformDefault, environment)
            .isPresent();
    return installed ? platformDefault : "";
  }

  @Override
  public String toString() {
    return "DockerConfig[" + directory.resolve(CONFIG_FILE_NAME) + "]";
  }
}

package dev.depotrunner.buildkit.auth;

/**
 * Credentials for one registry, with the fields of a docker config {@code auths} entry.
 *
 * <p>At most one kind is normally set: a username and password, an identity token (an OAuth2
 * refresh token, as {@code docker login} stores for Docker Hub), or a registry token (a bearer
 * token used as is). Absent fields are empty strings. {@link #toString()} never shows a secret.
 *
 * @param username the user name, empty for token credentials
 * @param password the password or personal access token
 * @param identityToken an OAuth2 refresh token exchanged for bearer tokens
 * @param registryToken a bearer token sent to the registry unchanged
 */
public record RegistryCredentials(
    String username, String password, String identityToken, String registryToken) {

  private static final RegistryCredentials NONE = new RegistryCredentials("", "", "", "");

  public RegistryCredentials {
    username = username == null ? "" : username;
    password = password == null ? "" : password;
    identityToken = identityToken == null ? "" : identityToken;
    registryToken = registryToken == null ? "" : registryToken;
  }

  /** Returns empty credentials, which make the builder pull and push anonymously. */
  public static RegistryCredentials none() {
    return NONE;
  }

  public static RegistryCredentials basic(String username, String password) {
    return new RegistryCredentials(username, password, "", "");
  }

  public static RegistryCredentials fromIdentityToken(String identityToken) {
    return new RegistryCredentials("", "", identityToken, "");
  }

  public static RegistryCredentials fromRegistryToken(String registryToken) {
    return new RegistryCredentials("", "", "", registryToken);
  }

  public boolean isEmpty() {
    return username.isEmpty()
        && password.isEmpty()
        && identityToken.isEmpty()
        && registryToken.isEmpty();
  }

  /**
   * Returns the user name that BuildKit's Credentials call carries: empty when an identity token
   * is set, because the token endpoint then takes it as a refresh token.
   */
  String sessionUsername() {
    return identityToken.isEmpty() ? username : "";
  }

  /** Returns the secret that BuildKit's Credentials call carries: the identity token, else the password. */
  String sessionSecret() {
    return identityToken.isEmpty() ? password : identityToken;
  }

  @Override
  public String toString() {
    return "RegistryCredentials[username="
        + username
        + ", password="
        + hidden(password)
        + ", identityToken="
        + hidden(identityToken)
        + ", registryToken="
        + hidden(registryToken)
        + "]";
  }

  private static String hidden(String secret) {
    return secret.isEmpty() ? "<none>" : "<hidden>";
  }
}

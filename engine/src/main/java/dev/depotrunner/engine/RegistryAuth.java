package dev.depotrunner.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Registry credentials for the {@code X-Registry-Auth} header of a push or pull: the engine's
 * {@code AuthConfig} JSON, base64url-encoded. Absent fields are empty strings and left out of the JSON.
 * {@link #toString()} never shows a secret.
 *
 * @param serverAddress the registry host, such as {@code ghcr.io}
 * @param identityToken an OAuth2 refresh token, as {@code docker login} stores for some registries
 * @param registryToken a bearer token the engine sends to the registry unchanged
 */
public record RegistryAuth(
    String username, String password, String serverAddress, String identityToken, String registryToken) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public RegistryAuth {
    username = username == null ? "" : username;
    password = password == null ? "" : password;
    serverAddress = serverAddress == null ? "" : serverAddress;
    identityToken = identityToken == null ? "" : identityToken;
    registryToken = registryToken == null ? "" : registryToken;
  }

  /** No credentials: the engine pushes or pulls anonymously. */
  public static RegistryAuth anonymous() {
    return new RegistryAuth("", "", "", "", "");
  }

  /**
   * Returns the header value: the JSON object in base64url with padding, as the docker CLI encodes it
   * and the engine decodes it. Anonymous credentials encode {@code {}}.
   */
  public String encode() {
    ObjectNode json = JSON.createObjectNode();
    putIfSet(json, "username", username);
    putIfSet(json, "password", password);
    putIfSet(json, "serveraddress", serverAddress);
    putIfSet(json, "identitytoken", identityToken);
    putIfSet(json, "registrytoken", registryToken);
    try {
      return Base64.getUrlEncoder().encodeToString(JSON.writeValueAsString(json).getBytes(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("encoding registry credentials as JSON failed", e);
    }
  }

  private static void putIfSet(ObjectNode json, String field, String value) {
    if (!value.isEmpty()) {
      json.put(field, value);
    }
  }

  @Override
  public String toString() {
    return "RegistryAuth[username=" + username + ", password=" + hidden(password) + ", serverAddress="
        + serverAddress + ", identityToken=" + hidden(identityToken) + ", registryToken=" + hidden(registryToken) + "]";
  }

  private static String hidden(String secret) {
    return secret.isEmpty() ? "" : "***";
  }
}

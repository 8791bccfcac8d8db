package dev.depotrunner.buildkit.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.buildkit.proto.secrets.GetSecretRequest;
import dev.depotrunner.buildkit.proto.secrets.SecretsGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsProviderTest {

  @TempDir Path temp;

  private Server server;
  private ManagedChannel channel;
  private SecretsGrpc.SecretsBlockingStub secrets;

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow();
    }
  }

  private void start(SecretsProvider provider) throws IOException {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(provider).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    secrets = SecretsGrpc.newBlockingStub(channel);
  }

  private String secret(String id) {
    return secrets
        .getSecret(GetSecretRequest.newBuilder().setID(id).build())
        .getData()
        .toString(StandardCharsets.UTF_8);
  }

  @Test
  void fileReadAtRequestTime() throws IOException {
    Path file = Files.writeString(temp.resolve("npmrc"), "first-value");
    start(SecretsProvider.create(List.of(SecretSpec.parse("id=npmrc,src=" + file)), Map.of()));

    String before = secret("npmrc");
    Files.writeString(file, "second-value");
    String after = secret("npmrc");

    assertEquals("first-value", before);
    assertEquals("second-value", after);
  }

  @Test
  void envVariable() throws IOException {
    start(
        SecretsProvider.create(
            List.of(SecretSpec.parse("id=token,env=GH_TOKEN")), Map.of("GH_TOKEN", "ghp_value")));

    assertEquals("ghp_value", secret("token"));
  }

  @Test
  void envVariableUnsetIsEmpty() throws IOException {
    start(SecretsProvider.create(List.of(SecretSpec.parse("id=token,env=UNSET")), Map.of()));

    assertEquals("", secret("token"));
  }

  @Test
  void idOnlyPrefersVariable() throws IOException {
    Files.writeString(temp.resolve("API_KEY"), "from-file");
    start(
        SecretsProvider.create(
            List.of(SecretSpec.parse("id=API_KEY")), Map.of("API_KEY", "from-variable")));

    assertEquals("from-variable", secret("API_KEY"));
  }

  @Test
  void idOnlyFallsBackToFile() throws IOException {
    Path file = Files.writeString(temp.resolve("key.txt"), "from-file");
    start(SecretsProvider.create(List.of(SecretSpec.parse("id=" + file)), Map.of()));

    assertEquals("from-file", secret(file.toString()));
  }

  @Test
  void laterSpecReplacesEarlier() throws IOException {
    start(
        SecretsProvider.create(
            List.of(SecretSpec.ofEnv("token", "FIRST"), SecretSpec.ofEnv("token", "SECOND")),
            Map.of("FIRST", "one", "SECOND", "two")));

    assertEquals("two", secret("token"));
  }

  @Test
  void unknownIdNotFound() throws IOException {
    start(SecretsProvider.create(List.of(), Map.of()));

    var failure = assertThrows(StatusRuntimeException.class, () -> secret("missing"));

    assertEquals(Status.Code.NOT_FOUND, failure.getStatus().getCode());
    assertTrue(failure.getMessage().contains("missing"), failure.getMessage());
  }

  @Test
  void fileDeletedAfterCreateFails() throws IOException {
    Path file = Files.writeString(temp.resolve("gone"), "s3cret-value");
    start(SecretsProvider.create(List.of(SecretSpec.ofFile("gone", file.toString())), Map.of()));
    Files.delete(file);

    var failure = assertThrows(StatusRuntimeException.class, () -> secret("gone"));

    assertEquals(Status.Code.FAILED_PRECONDITION, failure.getStatus().getCode());
    assertTrue(failure.getMessage().contains(file.toString()), failure.getMessage());
    assertFalse(failure.getMessage().contains("s3cret-value"), failure.getMessage());
  }

  @Test
  void fileGrownTooLargeFails() throws IOException {
    Path file = Files.writeString(temp.resolve("grows"), "small");
    start(SecretsProvider.create(List.of(SecretSpec.ofFile("grows", file.toString())), Map.of()));
    Files.write(file, new byte[SecretsProvider.MAX_SECRET_BYTES + 1]);

    var failure = assertThrows(StatusRuntimeException.class, () -> secret("grows"));

    assertTrue(failure.getMessage().contains("maximum"), failure.getMessage());
  }

  @Test
  void createRejectsMissingFile() {
    Path missing = temp.resolve("absent.txt");

    var failure =
        assertThrows(
            SecretSourceException.class,
            () -> SecretsProvider.create(List.of(SecretSpec.ofFile("cert", missing.toString())), Map.of()));

    assertTrue(failure.getMessage().contains("cert"), failure.getMessage());
    assertTrue(failure.getMessage().contains(missing.toString()), failure.getMessage());
  }

  @Test
  void createRejectsLargeFile() throws IOException {
    Path file = Files.write(temp.resolve("big"), new byte[SecretsProvider.MAX_SECRET_BYTES + 1]);

    var failure =
        assertThrows(
            SecretSourceException.class,
            () -> SecretsProvider.create(List.of(SecretSpec.ofFile("big", file.toString())), Map.of()));

    assertTrue(failure.getMessage().contains("500 KiB"), failure.getMessage());
  }

  @Test
  void createRejectsMissingId() {
    var failure =
        assertThrows(
            SecretSourceException.class,
            () -> SecretsProvider.create(List.of(SecretSpec.parse("src=/etc/hostname")), Map.of()));

    assertTrue(failure.getMessage().contains("no id"), failure.getMessage());
  }

  @Test
  void maximumSizeServed() throws IOException {
    Path file = Files.write(temp.resolve("max"), new byte[SecretsProvider.MAX_SECRET_BYTES]);
    start(SecretsProvider.create(List.of(SecretSpec.ofFile("max", file.toString())), Map.of()));

    int size =
        secrets.getSecret(GetSecretRequest.newBuilder().setID("max").build()).getData().size();

    assertEquals(SecretsProvider.MAX_SECRET_BYTES, size);
    assertFalse(server.isShutdown());
  }
}

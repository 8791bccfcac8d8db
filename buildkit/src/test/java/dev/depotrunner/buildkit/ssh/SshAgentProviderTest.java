package dev.depotrunner.buildkit.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.depotrunner.buildkit.proto.ssh.BytesMessage;
import dev.depotrunner.buildkit.proto.ssh.CheckAgentRequest;
import dev.depotrunner.buildkit.proto.ssh.SSHGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forwards key files and a real ssh-agent through the SSH service, and checks the result with the
 * OpenSSH tools, which these tests therefore need installed.
 */
class SshAgentProviderTest {

  @TempDir Path temp;

  private Server server;
  private ManagedChannel channel;
  private ForwardedSocket forwarded;
  private Process realAgent;

  @AfterEach
  void stop() throws IOException {
    if (forwarded != null) {
      forwarded.close();
    }
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow();
    }
    if (realAgent != null) {
      realAgent.destroy();
    }
  }

  private void start(SshAgentProvider provider) throws IOException {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(provider).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  /** Serves the forwarded agent for {@code id} on a socket and returns the socket's environment. */
  private Map<String, String> forward(String id) throws IOException {
    Path socket = temp.resolve("forwarded-" + id + ".sock");
    forwarded = new ForwardedSocket(socket, channel, id);
    return Map.of("SSH_AUTH_SOCK", socket.toString());
  }

  private Path publicKeyCopy(Path key) throws IOException {
    Path directory = Files.createDirectories(temp.resolve("public"));
    return Files.copy(Path.of(key + ".pub"), directory.resolve(key.getFileName() + ".pub"));
  }

  /** Signs a file with ssh-keygen -Y through the agent and checks the signature with ssh-keygen. */
  private void assertAgentSigns(Map<String, String> agent, Path key) throws Exception {
    Path data = Files.writeString(temp.resolve("data-" + key.getFileName() + ".txt"), "signed content");
    Path publicKey = publicKeyCopy(key);

    OpenSsh.check(agent, "ssh-keygen", "-Y", "sign", "-n", "file", "-f", publicKey.toString(), data.toString());
    OpenSsh.Result check =
        OpenSsh.run(
            Map.of(),
            Files.readString(data),
            "ssh-keygen", "-Y", "check-novalidate", "-n", "file", "-s", data + ".sig");

    assertEquals(0, check.exitCode(), check.output());
  }

  @Test
  void keyFilesListedBySshAdd() throws Exception {
    Path ed25519 = OpenSsh.keygen(temp, "ed25519", "ed25519", 0, "RFC4716", "");
    Path rsa = OpenSsh.keygen(temp, "rsa", "rsa", 2048, "PEM", "");
    Path ecdsa = OpenSsh.keygen(temp, "ecdsa", "ecdsa", 256, "RFC4716", "");
    start(SshAgentProvider.create(List.of(SshSpec.parse("keys=" + ed25519 + "," + rsa + "," + ecdsa)), Map.of()));

    String listing = OpenSsh.check(forward("keys"), "ssh-add", "-l", "-E", "sha256");

    assertTrue(listing.contains(OpenSsh.fingerprint(ed25519)), listing);
    assertTrue(listing.contains(OpenSsh.fingerprint(rsa)), listing);
    assertTrue(listing.contains(OpenSsh.fingerprint(ecdsa)), listing);
    assertTrue(listing.contains("ed25519@test"), listing);
    assertEquals(3, listing.strip().split("\n").length, listing);
  }

  @Test
  void keyFilesSignForSshKeygen() throws Exception {
    Path ed25519 = OpenSsh.keygen(temp, "ed25519", "ed25519", 0, "RFC4716", "");
    Path rsa = OpenSsh.keygen(temp, "rsa", "rsa", 2048, "RFC4716", "");
    Path ecdsa = OpenSsh.keygen(temp, "ecdsa", "ecdsa", 384, "RFC4716", "");
    start(SshAgentProvider.create(List.of(SshSpec.parse("default=" + ed25519 + "," + rsa + "," + ecdsa)), Map.of()));
    Map<String, String> agent = forward("default");

    assertAgentSigns(agent, ed25519);
    assertAgentSigns(agent, rsa);
    assertAgentSigns(agent, ecdsa);
  }

  @Test
  void realAgentForwardedReadOnly() throws Exception {
    Path agentSocket = temp.resolve("agent.sock");
    realAgent = OpenSsh.startAgent(agentSocket);
    Map<String, String> direct = Map.of("SSH_AUTH_SOCK", agentSocket.toString());
    Path key = OpenSsh.keygen(temp, "agent-key", "ed25519", 0, "RFC4716", "");
    OpenSsh.check(direct, "ssh-add", key.toString());
    start(SshAgentProvider.create(List.of(SshSpec.parse("default")), direct));
    Map<String, String> agent = forward("default");

    String listing = OpenSsh.check(agent, "ssh-add", "-l", "-E", "sha256");
    OpenSsh.Result removal = OpenSsh.run(agent, null, "ssh-add", "-D");
    String listingAfterRemoval = OpenSsh.check(direct, "ssh-add", "-l", "-E", "sha256");

    assertTrue(listing.contains(OpenSsh.fingerprint(key)), listing);
    assertNotEquals(0, removal.exitCode(), removal.output());
    assertTrue(listingAfterRemoval.contains(OpenSsh.fingerprint(key)), listingAfterRemoval);
    assertAgentSigns(agent, key);
  }

  @Test
  void checkAgentKnownAndUnknown() throws Exception {
    Path key = OpenSsh.keygen(temp, "key", "ed25519", 0, "RFC4716", "");
    start(SshAgentProvider.create(List.of(SshSpec.parse("default=" + key)), Map.of()));
    var ssh = SSHGrpc.newBlockingStub(channel);

    ssh.checkAgent(CheckAgentRequest.newBuilder().setID("default").build());
    ssh.checkAgent(CheckAgentRequest.getDefaultInstance());
    var failure =
        assertThrows(
            StatusRuntimeException.class,
            () -> ssh.checkAgent(CheckAgentRequest.newBuilder().setID("deploy").build()));

    assertEquals(Status.Code.NOT_FOUND, failure.getStatus().getCode());
    assertTrue(failure.getMessage().contains("deploy"), failure.getMessage());
  }

  @Test
  void forwardUnknownIdNotFound() throws Exception {
    Path key = OpenSsh.keygen(temp, "key", "ed25519", 0, "RFC4716", "");
    start(SshAgentProvider.create(List.of(SshSpec.parse("default=" + key)), Map.of()));

    var failure = assertThrows(StatusRuntimeException.class, () -> exchange("deploy", requestIdentities()));

    assertEquals(Status.Code.NOT_FOUND, failure.getStatus().getCode());
  }

  @Test
  void requestSplitAcrossChunks() throws Exception {
    Path key = OpenSsh.keygen(temp, "key", "ecdsa", 256, "RFC4716", "");
    start(SshAgentProvider.create(List.of(SshSpec.parse("default=" + key)), Map.of()));
    byte[] frame = requestIdentities();

    byte[] response =
        exchange(
            "",
            Arrays.copyOfRange(frame, 0, 2),
            Arrays.copyOfRange(frame, 2, frame.length));

    var reader = new SshWireReader(response);
    assertEquals(response.length - 4, reader.readUint32());
    assertEquals(AgentProtocol.IDENTITIES_ANSWER, reader.readByte());
    assertEquals(1, reader.readUint32());
    assertArrayEquals(OpenSsh.publicKeyBlob(key), reader.readString());
  }

  @Test
  void signRequestWithRsaFlags() throws Exception {
    Path key = OpenSsh.keygen(temp, "key", "rsa", 2048, "RFC4716", "");
    start(SshAgentProvider.create(List.of(SshSpec.parse("default=" + key)), Map.of()));
    byte[] data = "challenge".getBytes(StandardCharsets.UTF_8);
    byte[] request =
        new SshWireWriter()
            .writeByte(AgentProtocol.SIGN_REQUEST)
            .writeString(OpenSsh.publicKeyBlob(key))
            .writeString(data)
            .writeUint32(AgentKey.RSA_SHA2_512)
            .toByteArray();

    byte[] response = exchange("default", frame(request));

    var reader = new SshWireReader(response);
    reader.readUint32();
    assertEquals(AgentProtocol.SIGN_RESPONSE, reader.readByte());
    byte[] signature = reader.readString();
    assertEquals("rsa-sha2-512", AgentKey.SignatureParts.parse(signature).algorithm());
    AgentKey parsed = PrivateKeyParser.parse(Files.readAllBytes(key), key.toString()).get(0);
    assertTrue(parsed.verify(data, signature));
  }

  @Test
  void addIdentityRejected() throws Exception {
    Path key = OpenSsh.keygen(temp, "key", "ed25519", 0, "RFC4716", "");
    start(SshAgentProvider.create(List.of(SshSpec.parse("default=" + key)), Map.of()));
    int addIdentity = 17;

    byte[] response = exchange("default", frame(new byte[] {(byte) addIdentity, 0, 0, 0, 0}));

    assertArrayEquals(new byte[] {0, 0, 0, 1, (byte) AgentProtocol.FAILURE}, response);
  }

  @Test
  void createWithoutAgentSocket() {
    var failure =
        assertThrows(
            SshAgentException.class,
            () -> SshAgentProvider.create(List.of(SshSpec.parse("default")), Map.of()));

    assertTrue(failure.getMessage().contains("SSH_AUTH_SOCK"), failure.getMessage());
  }

  @Test
  void createWithMissingPath() {
    Path missing = temp.resolve("absent_key");

    var failure =
        assertThrows(
            SshAgentException.class,
            () -> SshAgentProvider.create(List.of(SshSpec.parse("deploy=" + missing)), Map.of()));

    assertTrue(failure.getMessage().contains("deploy"), failure.getMessage());
    assertTrue(failure.getMessage().contains(missing.toString()), failure.getMessage());
  }

  @Test
  void createWithDuplicateId() throws Exception {
    Path key = OpenSsh.keygen(temp, "key", "ed25519", 0, "RFC4716", "");

    var failure =
        assertThrows(
            SshAgentException.class,
            () ->
                SshAgentProvider.create(
                    List.of(SshSpec.parse("x=" + key), SshSpec.parse("x=" + key)), Map.of()));

    assertTrue(failure.getMessage().contains("twice"), failure.getMessage());
  }

  @Test
  void createWithSocketAndKey() throws Exception {
    Path agentSocket = temp.resolve("agent.sock");
    realAgent = OpenSsh.startAgent(agentSocket);
    Path key = OpenSsh.keygen(temp, "key", "ed25519", 0, "RFC4716", "");

    var failure =
        assertThrows(
            SshAgentException.class,
            () ->
                SshAgentProvider.create(
                    List.of(SshSpec.parse("default=" + agentSocket + "," + key)), Map.of()));

    assertTrue(failure.getMessage().contains("cannot combine"), failure.getMessage());
  }

  @Test
  void createWithEncryptedKey() throws Exception {
    Path key = OpenSsh.keygen(temp, "locked", "ed25519", 0, "RFC4716", "passphrase");

    var failure =
        assertThrows(
            SshAgentException.class,
            () -> SshAgentProvider.create(List.of(SshSpec.parse("default=" + key)), Map.of()));

    assertTrue(failure.getMessage().contains(key.toString()), failure.getMessage());
    assertTrue(failure.getMessage().contains("encrypted"), failure.getMessage());
  }

  @Test
  void idsListConfiguredAgents() throws Exception {
    Path key = OpenSsh.keygen(temp, "key", "ed25519", 0, "RFC4716", "");

    SshAgentProvider provider =
        SshAgentProvider.create(List.of(SshSpec.parse("=" + key), SshSpec.parse("deploy=" + key)), Map.of());

    assertEquals(java.util.Set.of("default", "deploy"), provider.ids());
    assertFalse(provider.ids().contains(""));
  }

  private static byte[] requestIdentities() {
    return frame(new byte[] {(byte) AgentProtocol.REQUEST_IDENTITIES});
  }

  private static byte[] frame(byte[] message) {
    return ByteBuffer.allocate(4 + message.length).putInt(message.length).put(message).array();
  }

  /**
   * Opens a ForwardAgent stream for {@code id}, sends the chunks, closes the sending side and
   * returns everything the service sent back.
   */
  private byte[] exchange(String id, byte[]... chunks) throws Exception {
    Metadata headers = new Metadata();
    if (!id.isEmpty()) {
      headers.put(SshAgentProvider.ID_HEADER, id);
    }
    var stub =
        SSHGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    var received = new ByteArrayOutputStream();
    var done = new CompletableFuture<byte[]>();

    StreamObserver<BytesMessage> requests =
        stub.forwardAgent(
            new StreamObserver<>() {
              @Override
              public void onNext(BytesMessage message) {
                received.writeBytes(message.getData().toByteArray());
              }

              @Override
              public void onError(Throwable t) {
                done.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                done.complete(received.toByteArray());
              }
            });
    for (byte[] chunk : chunks) {
      requests.onNext(BytesMessage.newBuilder().setData(ByteString.copyFrom(chunk)).build());
    }
    requests.onCompleted();

    try {
      return done.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException status) {
        throw status;
      }
      throw e;
    }
  }
}

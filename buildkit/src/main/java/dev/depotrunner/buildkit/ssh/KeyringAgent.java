package dev.depotrunner.buildkit.ssh;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;

/**
 * An ssh-agent over keys in memory that handles only the requests a build needs: list the
 * identities and sign. Everything else, such as adding or removing keys, gets SSH_AGENT_FAILURE.
 */
final class KeyringAgent implements Agent {

  private static final System.Logger LOG = System.getLogger(KeyringAgent.class.getName());

  private final List<AgentKey> keys;

  KeyringAgent(List<AgentKey> keys) {
    this.keys = List.copyOf(keys);
  }

  @Override
  public byte[] handle(byte[] request) {
    if (request.length == 0) {
      return AgentProtocol.failure();
    }
    return switch (request[0] & 0xff) {
      case AgentProtocol.REQUEST_IDENTITIES -> identities();
      case AgentProtocol.SIGN_REQUEST -> sign(request);
      default -> AgentProtocol.failure();
    };
  }

  private byte[] identities() {
    var answer = new SshWireWriter().writeByte(AgentProtocol.IDENTITIES_ANSWER).writeUint32(keys.size());
    for (AgentKey key : keys) {
      answer.writeString(key.publicKeyBlob()).writeString(key.comment());
    }
    return answer.toByteArray();
  }

  private byte[] sign(byte[] request) {
    byte[] blob;
    byte[] data;
    int flags = 0;
    try {
      var reader = new SshWireReader(Arrays.copyOfRange(request, 1, request.length));
      blob = reader.readString();
      data = reader.readString();
      if (reader.remaining() >= 4) {
        flags = (int) reader.readUint32();
      }
    } catch (SshWireReader.SshFormatException e) {
      LOG.log(System.Logger.Level.WARNING, "invalid ssh-agent sign request: " + e.getMessage());
      return AgentProtocol.failure();
    }

    for (AgentKey key : keys) {
      if (!Arrays.equals(key.publicKeyBlob(), blob)) {
        continue;
      }
      try {
        byte[] signature = key.sign(data, flags);
        return new SshWireWriter()
            .writeByte(AgentProtocol.SIGN_RESPONSE)
            .writeString(signature)
            .toByteArray();
      } catch (GeneralSecurityException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "failed to sign with " + key.type() + " key " + key.comment() + ": " + e.getMessage());
        return AgentProtocol.failure();
      }
    }
    return AgentProtocol.failure();
  }

  @Override
  public void close() {}
}

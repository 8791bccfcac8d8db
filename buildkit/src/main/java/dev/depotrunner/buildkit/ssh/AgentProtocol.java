package dev.depotrunner.buildkit.ssh;

/** Message numbers and limits of the ssh-agent protocol (draft-miller-ssh-agent, section 6.1). */
final class AgentProtocol {

  static final int FAILURE = 5;
  static final int REQUEST_IDENTITIES = 11;
  static final int IDENTITIES_ANSWER = 12;
  static final int SIGN_REQUEST = 13;
  static final int SIGN_RESPONSE = 14;

  /** Maximum message length, OpenSSH's AGENT_MAX_LEN; longer frames end the connection. */
  static final int MAX_MESSAGE_BYTES = 256 * 1024;

  private AgentProtocol() {}

  /** Returns the one-byte SSH_AGENT_FAILURE message. */
  static byte[] failure() {
    return new byte[] {(byte) FAILURE};
  }
}

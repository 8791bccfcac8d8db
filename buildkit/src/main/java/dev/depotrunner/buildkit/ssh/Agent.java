package dev.depotrunner.buildkit.ssh;

import java.io.IOException;

/**
 * One connection to an ssh-agent. Messages are passed without their length prefix: the message
 * type byte followed by its contents.
 */
interface Agent extends AutoCloseable {

  /** Returns the agent's response to one request message. */
  byte[] handle(byte[] request) throws IOException;

  /** Releases the connection; safe to call from another thread while {@link #handle} blocks. */
  @Override
  void close();
}

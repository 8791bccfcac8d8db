package dev.depotrunner.buildkit.transport;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Drops netty's warning that a channel does not know {@code SO_KEEPALIVE}. grpc-netty sets that
 * option on every connection (grpc-java 1.85), and unix sockets and in-process channels have no
 * keepalive, so without this each connection to buildkitd or a Docker Engine printed a warning.
 *
 * <p>NOTE: this works while netty logs through java.util.logging, its choice when SLF4J is not on
 * the class path; with SLF4J the warning would need the same treatment there.
 */
final class KeepAliveWarningFilter implements Filter {

  private static final String MESSAGE_START = "Unknown channel option 'SO_KEEPALIVE'";

  // Strong references: java.util.logging keeps loggers only weakly, and would drop the filter.
  private static final Logger CLIENT_BOOTSTRAP =
      Logger.getLogger("io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap");
  private static final Logger SERVER_BOOTSTRAP =
      Logger.getLogger("io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap");

  private final Filter next;

  private KeepAliveWarningFilter(Filter next) {
    this.next = next;
  }

  static {
    for (Logger logger : new Logger[] {CLIENT_BOOTSTRAP, SERVER_BOOTSTRAP}) {
      logger.setFilter(new KeepAliveWarningFilter(logger.getFilter()));
    }
  }

  /** Installs the filter once; later calls do nothing. */
  static void install() {
    // The static initializer does the work.
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    String message = record.getMessage();
    if (message != null && message.startsWith(MESSAGE_START)) {
      return false;
    }
    return next == null || next.isLoggable(record);
  }
}

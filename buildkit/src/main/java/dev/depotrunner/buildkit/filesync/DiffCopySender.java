package dev.depotrunner.buildkit.filesync;

import com.google.protobuf.ByteString;
import dev.depotrunner.buildkit.proto.fsutil.Packet;
import dev.depotrunner.buildkit.proto.fsutil.Stat;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sending side of one fsutil DiffCopy transfer (fsutil {@code send.go}).
 *
 * <p>One thread walks the folder and sends a STAT packet per entry, then an empty STAT. Meanwhile the
 * receiver sends REQ packets naming entries by their index in the STAT sequence, and reader threads
 * respond to each with DATA packets of up to 32 KiB and an empty DATA packet. When the receiver sends FIN
 * the sender answers FIN and the stream ends. An ERR packet from either side ends the transfer.
 */
final class DiffCopySender {

  private static final System.Logger LOG = System.getLogger(DiffCopySender.class.getName());

  /** fsutil's copy buffer size, so DATA packets look the same as from the Go client. */
  static final int CHUNK_SIZE = 32 * 1024;
  /** fsutil also sends with four goroutines; more readers help little as they share one stream. */
  static final int READERS = 4;
  /**
   * STAT packets the walker sends in one burst. gRPC flushes after every message, but a burst reaches
   * the event loop together, so it leaves in one write instead of waking the loop once per file.
   * The size matches the 128 queued writes that grpc-netty's WriteQueue handles per flush.
   */
  static final int STAT_BURST = 128;

  private static final Packet END_OF_FILE_LIST = Packet.newBuilder().setType(Packet.PacketType.PACKET_STAT).build();
  private static final Packet FIN = Packet.newBuilder().setType(Packet.PacketType.PACKET_FIN).build();

  private final Path root;
  private final PathFilter filter;
  private final PacketChannel<?> channel;
  private final String description;

  // Requestable entries by STAT index; an entry is removed when requested, so each is sent once.
  private final Map<Integer, String> requestable = new ConcurrentHashMap<>();
  private final BlockingQueue<FileRequest> requests = new LinkedBlockingQueue<>();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final CountDownLatch readersDone = new CountDownLatch(READERS);
  private final AtomicInteger statCount = new AtomicInteger();
  private final Thread[] threads = new Thread[READERS + 1];
  // Only the walk thread touches it.
  private final List<Packet> pendingStats = new ArrayList<>(STAT_BURST);

  private record FileRequest(int id, String path) {}

  private static final FileRequest STOP = new FileRequest(-1, null);

  /**
   * @param description names the transfer in thread names and log messages, such as the folder name
   */
  DiffCopySender(Path root, PathFilter filter, PacketChannel<?> channel, String description) {
    this.root = root;
    this.filter = filter;
    this.channel = channel;
    this.description = description;
  }

  /** Starts the walk and the reader threads. */
  void start() {
    threads[0] = new Thread(this::walk, "filesync-walk-" + description);
    for (int i = 1; i <= READERS; i++) {
      threads[i] = new Thread(this::readFiles, "filesync-read-" + description + "-" + i);
    }
    for (Thread thread : threads) {
      thread.setDaemon(true);
      thread.start();
    }
  }

  /** Handles a packet from the receiver. It runs on the gRPC callback thread, so it only queues work. */
  void onPacket(Packet packet) {
    switch (packet.getType()) {
      case PACKET_REQ -> {
        String path = requestable.remove(packet.getID());
        if (path == null) {
          fail(Status.INVALID_ARGUMENT.withDescription("invalid file id " + Integer.toUnsignedString(packet.getID())), false);
          return;
        }
        requests.add(new FileRequest(packet.getID(), path));
      }
      case PACKET_FIN -> finish();
      case PACKET_ERR -> fail(Status.UNKNOWN.withDescription("error from receiver: " + packet.getData().toStringUtf8()), false);
      default -> {
        // fsutil's sender ignores other packet types.
      }
    }
  }

  /** Handles the receiver's half-close, which ends a transfer it has not finished with FIN. */
  void onReceiverClosed() {
    if (!finished.get()) {
      fail(Status.CANCELLED.withDescription("the receiver closed the stream before sending FIN"), false);
    }
  }

  /** Stops all work after the peer cancelled the call or closed its side early. */
  void cancel() {
    channel.abandon();
    stopThreads();
  }

  private void walk() {
    try {
      ContextWalker.walk(root, filter, this::sendStat);
      sendPendingStats();
      channel.send(END_OF_FILE_LIST);
    } catch (PacketChannel.ClosedException | InterruptedException e) {
      // The transfer ended elsewhere.
    } catch (InvalidPatternException e) {
      fail(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).withCause(e), true);
    } catch (IOException | RuntimeException e) {
      fail(Status.UNKNOWN.withDescription("failed to walk " + description + ": " + e.getMessage()).withCause(e), true);
    }
  }

  private void sendStat(Stat stat) throws InterruptedException {
    int id = statCount.getAndIncrement();
    if (UnixStat.canRequestData(stat.getMode())) {
      requestable.put(id, stat.getPath());
    }
    pendingStats.add(Packet.newBuilder().setType(Packet.PacketType.PACKET_STAT).setStat(stat).build());
    if (pendingStats.size() >= STAT_BURST) {
      try {
        sendPendingStats();
      } catch (PacketChannel.ClosedException e) {
        throw new InterruptedException("stream closed");
      }
    }
  }

  private void sendPendingStats() throws InterruptedException, PacketChannel.ClosedException {
    for (Packet packet : pendingStats) {
      channel.send(packet);
    }
    pendingStats.clear();
  }

  private void readFiles() {
    try {
      byte[] buffer = new byte[CHUNK_SIZE];
      while (true) {
        FileRequest request = requests.take();
        if (request == STOP) {
          return;
        }
        sendFile(request, buffer);
      }
    } catch (PacketChannel.ClosedException | InterruptedException e) {
      // The transfer ended elsewhere.
    } catch (IOException | RuntimeException e) {
      fail(Status.UNKNOWN.withDescription("failed to send " + description + ": " + e.getMessage()).withCause(e), true);
    } finally {
      readersDone.countDown();
    }
  }

  private void sendFile(FileRequest request, byte[] buffer) throws IOException, InterruptedException, PacketChannel.ClosedException {
    Path file = root.resolve(request.path);
    try (InputStream in = open(file, request.path)) {
      while (true) {
        int length = in.readNBytes(buffer, 0, CHUNK_SIZE);
        if (length == 0) {
          break;
        }
        channel.send(Packet.newBuilder()
            .setType(Packet.PacketType.PACKET_DATA)
            .setID(request.id)
            .setData(ByteString.copyFrom(buffer, 0, length))
            .build());
        if (length < CHUNK_SIZE) {
          break;
        }
      }
    }
    channel.send(Packet.newBuilder().setType(Packet.PacketType.PACKET_DATA).setID(request.id).build());
  }

  private InputStream open(Path file, String path) {
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      // fsutil sends an unreadable file (or a socket) as an empty one. The warning helps if the build fails later.
      LOG.log(Level.WARNING, "sending {0} of {1} as empty: {2}", path, description, e.getMessage());
      return InputStream.nullInputStream();
    }
  }

  /** Sends FIN in response to the receiver's FIN once the readers have sent everything requested. */
  private void finish() {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    for (int i = 0; i < READERS; i++) {
      requests.add(STOP);
    }
    Thread finisher = new Thread(() -> {
      try {
        readersDone.await();
        channel.send(FIN);
        channel.complete();
      } catch (PacketChannel.ClosedException | InterruptedException e) {
        // The transfer ended elsewhere.
      }
    }, "filesync-finish-" + description);
    finisher.setDaemon(true);
    finisher.start();
  }

  /**
   * Ends the transfer with an error. When the sender fails, fsutil first sends an ERR packet so that
   * BuildKit reports "error from sender: ..." with the reason.
   */
  private void fail(Status status, boolean tellReceiver) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    if (tellReceiver && !channel.isClosed()) {
      LOG.log(Level.DEBUG, "file sync of {0} failed: {1}", description, status.getDescription());
      channel.sendWithoutWaiting(Packet.newBuilder()
          .setType(Packet.PacketType.PACKET_ERR)
          .setData(ByteString.copyFromUtf8(String.valueOf(status.getDescription())))
          .build());
    }
    channel.fail(status);
    stopThreads();
  }

  private void stopThreads() {
    requests.clear();
    for (Thread thread : threads) {
      if (thread != null && thread != Thread.currentThread()) {
        thread.interrupt();
      }
    }
  }
}

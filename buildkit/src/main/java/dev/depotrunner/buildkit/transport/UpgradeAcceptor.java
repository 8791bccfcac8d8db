package dev.depotrunner.buildkit.transport;

import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.local.LocalAddress;
import io.grpc.netty.shaded.io.netty.channel.local.LocalChannel;
import io.grpc.netty.shaded.io.netty.channel.local.LocalServerChannel;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The in-process address that a gRPC client channel connects to in place of a Docker Engine: each
 * connection it accepts gets its own engine connection upgraded through {@code POST /grpc}, and the
 * two are relayed byte for byte. The gRPC client thus speaks HTTP/2 with prior knowledge to the
 * engine's BuildKit, as the docker CLI's own client does after the upgrade.
 */
final class UpgradeAcceptor implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(UpgradeAcceptor.class.getName());

  private final DockerEngineClient client;
  private final String path;
  private final LocalAddress address;
  private Channel serverChannel;
  private volatile Throwable lastFailure;

  private UpgradeAcceptor(DockerEngineClient client, String path) {
    this.client = client;
    this.path = path;
    this.address = new LocalAddress("docker-grpc-" + UUID.randomUUID());
  }

  static UpgradeAcceptor start(DockerEngineClient client, String path, EventLoops loops) throws IOException {
    UpgradeAcceptor acceptor = new UpgradeAcceptor(client, path);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(loops.local())
            .channel(LocalServerChannel.class)
            .childOption(ChannelOption.AUTO_READ, false)
            .childHandler(
                new ChannelInitializer<LocalChannel>() {
                  @Override
                  protected void initChannel(LocalChannel channel) {
                    loops.track(channel);
                    channel.pipeline().addLast(new EarlyBytes());
                    acceptor.accept(channel);
                  }
                });
    acceptor.serverChannel = AbstractBuilderConnection.await(bootstrap.bind(acceptor.address), "binding " + acceptor.address).channel();
    return acceptor;
  }

  LocalAddress address() {
    return address;
  }

  /** Returns the error of the most recent failed upgrade, which a gRPC UNAVAILABLE status does not carry. */
  Throwable lastFailure() {
    return lastFailure;
  }

  private void accept(Channel local) {
    client
        .upgrade(path, List.of())
        .thenCompose(
            socket -> DockerEngineClient.takeOver(socket).thenAccept(pending -> {
              if (!local.isActive()) {
                pending.release();
                socket.close();
                return;
              }
              Relay.splice(socket, pending, local, error -> {});
            }))
        .whenComplete(
            (ignored, error) -> {
              if (error != null) {
                lastFailure = DockerEngineClient.unwrap(error);
                LOG.log(Level.FINE, "POST " + path + " failed", lastFailure);
                local.close();
              }
            });
  }

  @Override
  public void close() {
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly(2000);
    }
  }
}

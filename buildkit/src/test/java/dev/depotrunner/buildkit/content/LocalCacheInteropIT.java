package dev.depotrunner.buildkit.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depotrunner.buildkit.proto.content.ContentGrpc;
import dev.depotrunner.buildkit.proto.content.ListContentRequest;
import dev.depotrunner.buildkit.proto.content.ReadContentRequest;
import dev.depotrunner.buildkit.proto.content.WriteAction;
import dev.depotrunner.buildkit.proto.content.WriteContentRequest;
import dev.depotrunner.buildkit.proto.content.WriteContentResponse;
import dev.depotrunner.buildkit.proto.control.CacheOptionsEntry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the content store against real BuildKit output and input, with Docker's buildx as the
 * reference client: a cache that BuildKit exported is copied blob by blob through the Content service
 * into a new folder, whose index.json {@link ContentStores} writes, and a second engine then imports
 * the build cache from that folder.
 *
 * <p>Needs scripts/local-env: {@code DEPOT_RUNNER_DOCKER_CLI}, {@code DOCKER_HOST} (Docker 28) and
 * {@code DEPOT_RUNNER_DOCKER20_HOST}. The cache is exported with {@code image-manifest=false}
 * because Docker 20.10's BuildKit reads only cache indexes.
 */
class LocalCacheInteropIT {

  @TempDir Path folder;

  @Test
  void cacheCopiedThroughServiceImportsInBuildKit() throws Exception {
    String docker = System.getenv("DEPOT_RUNNER_DOCKER_CLI");
    String docker28 = System.getenv("DOCKER_HOST");
    String docker20 = System.getenv("DEPOT_RUNNER_DOCKER20_HOST");
    assumeTrue(docker != null && docker28 != null && docker20 != null,
        "run eval \"$(scripts/local-env env)\" to set DEPOT_RUNNER_DOCKER_CLI, DOCKER_HOST and DEPOT_RUNNER_DOCKER20_HOST");

    Path context = Files.createDirectories(folder.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY nonce.txt /\n");
    Files.writeString(context.resolve("nonce.txt"), UUID.randomUUID() + "\n");
    Path exported = folder.resolve("exported");
    Path export = folder.resolve("oci");

    String firstBuild = buildx(docker, docker28, context,
        "--cache-to", "type=local,mode=max,image-manifest=false,dest=" + exported,
        "--output", "type=oci,tar=false,dest=" + export);
    assertTrue(firstBuild.contains("exporting cache"), firstBuild);

    ObjectNode cacheManifest = new OciIndex(exported).get("latest").orElseThrow();
    Path copied = folder.resolve("copied");
    ContentStores stores = ContentStores.builder()
        .cacheExports(List.of(CacheOptionsEntry.newBuilder().setType("local").putAttrs("dest", copied.toString()).build()))
        .build();
    int blobs = copyThroughService(exported, copied);
    assertTrue(blobs >= 3, "a cache has at least a layer, its config and its index, got " + blobs);
    stores.finishSolve(Map.of(ContentStores.CACHE_MANIFEST_KEY, cacheManifest.toString()));

    List<String> warnings = new ArrayList<>();
    ContentStores imports = ContentStores.builder()
        .cacheImports(List.of(CacheOptionsEntry.newBuilder().setType("local").putAttrs("src", copied.toString()).build()))
        .warnings(warnings::add)
        .build();
    assertEquals(List.of(), warnings);
    assertEquals(cacheManifest.get("digest").asText(), imports.cacheOptions().getImports(0).getAttrsMap().get("digest"));

    String secondBuild = buildx(docker, docker20, context, "--cache-from", "type=local,src=" + copied);
    assertTrue(secondBuild.contains("importing cache manifest"), secondBuild);
    assertTrue(secondBuild.matches("(?s).*COPY nonce.txt /\\R(#\\d+ [^\\n]*\\R)*#\\d+ CACHED.*"),
        "the COPY step comes from the imported cache:\n" + secondBuild);

    ObjectNode image = new OciIndex(export).get("latest").orElseThrow();
    assertTrue(OciLayoutStore.open(export).info(Digest.parse(image.get("digest").asText())).isPresent());
  }

  @Test
  void resetKeepsEveryBlobOfRealCache() throws Exception {
    String docker = System.getenv("DEPOT_RUNNER_DOCKER_CLI");
    String docker28 = System.getenv("DOCKER_HOST");
    assumeTrue(docker != null && docker28 != null, "run eval \"$(scripts/local-env env)\" first");

    Path context = Files.createDirectories(folder.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY nonce.txt /\n");
    Files.writeString(context.resolve("nonce.txt"), UUID.randomUUID() + "\n");
    Path cache = folder.resolve("cache");
    buildx(docker, docker28, context, "--cache-to", "type=local,mode=max,dest=" + cache);

    OciLayoutStore store = OciLayoutStore.open(cache);
    List<Digest> before = new ArrayList<>();
    store.walk(Filters.parse(List.of()), info -> before.add(info.digest()));
    Digest stray;
    try (BlobWriter writer = store.writer("stray", 0, null)) {
      writer.write(java.nio.ByteBuffer.wrap("not referenced".getBytes(StandardCharsets.UTF_8)));
      stray = writer.commit(0, null);
    }

    ContentStores.deleteUnreferencedBlobs(store);

    for (Digest digest : before) {
      assertTrue(store.info(digest).isPresent(), "reset kept " + digest);
    }
    assertFalse(store.info(stray).isPresent());
  }

  /** Copies every blob of {@code source} into {@code target} with the Content service's Read and Write calls. */
  private static int copyThroughService(Path source, Path target) throws Exception {
    String name = InProcessServerBuilder.generateName();
    Server server = InProcessServerBuilder.forName(name)
        .addService(new ContentStoreService(Map.of(
            "local:source", OciLayoutStore.open(source), "local:target", OciLayoutStore.open(target))))
        .build()
        .start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    try {
      var sourceStub = ContentGrpc.newBlockingStub(channel).withInterceptors(storeHeader("local:source"));
      var targetStub = ContentGrpc.newStub(channel).withInterceptors(storeHeader("local:target"));

      List<String> digests = new ArrayList<>();
      sourceStub.list(ListContentRequest.getDefaultInstance())
          .forEachRemaining(response -> response.getInfoList().forEach(info -> digests.add(info.getDigest())));

      for (String digest : digests) {
        var data = new ByteArrayOutputStream();
        sourceStub.read(ReadContentRequest.newBuilder().setDigest(digest).build())
            .forEachRemaining(chunk -> writeTo(data, chunk.getData()));
        WriteContentResponse committed = write(targetStub, digest, data.toByteArray());
        assertEquals(digest, committed.getDigest());
      }
      return digests.size();
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static WriteContentResponse write(ContentGrpc.ContentStub stub, String digest, byte[] data) throws Exception {
    var result = new CompletableFuture<WriteContentResponse>();
    StreamObserver<WriteContentRequest> requests = stub.write(new StreamObserver<>() {
      @Override
      public void onNext(WriteContentResponse value) {
        result.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    });
    requests.onNext(WriteContentRequest.newBuilder()
        .setAction(WriteAction.COMMIT).setRef("copy-" + digest).setExpected(digest).setTotal(data.length)
        .setData(com.google.protobuf.ByteString.copyFrom(data)).build());
    requests.onCompleted();
    return result.get(60, TimeUnit.SECONDS);
  }

  private static void writeTo(ByteArrayOutputStream out, com.google.protobuf.ByteString data) {
    try {
      data.writeTo(out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static io.grpc.ClientInterceptor storeHeader(String id) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of(ContentStoreService.STORE_ID_HEADER, Metadata.ASCII_STRING_MARSHALLER), id);
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  /** Runs {@code docker buildx build} against {@code host} and returns its plain progress output. */
  private static String buildx(String docker, String host, Path context, String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of(docker, "buildx", "build", "--progress=plain"));
    command.addAll(List.of(options));
    command.add(context.toString());

    var process = new ProcessBuilder(command).redirectErrorStream(true);
    process.environment().put("DOCKER_HOST", host);
    Process running = process.start();
    var output = new String(running.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(running.waitFor(300, TimeUnit.SECONDS), "buildx timed out:\n" + output);
    assertEquals(0, running.exitValue(), "buildx failed:\n" + output);
    return output;
  }
}

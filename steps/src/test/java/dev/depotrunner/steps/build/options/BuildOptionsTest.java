package dev.depotrunner.steps.build.options;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildOptionsTest {

  @TempDir Path workingDirectory;
  private Path context;

  @BeforeEach
  void createContext() throws IOException {
    context = Files.createDirectories(workingDirectory.resolve("app"));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
  }

  private BuildOptions.Builder builder() {
    return BuildOptions.builder()
        .context("app")
        .workingDirectory(workingDirectory)
        .environment(Map.of())
        .stdoutIsTerminal(false)
        .stdin(() -> {
          throw new AssertionError("stdin must not be read");
        });
  }

  private static List<String> problems(BuildOptions.Builder builder) {
    InvalidBuildOptionsException error = assertThrows(InvalidBuildOptionsException.class, builder::build);
    for (String problem : error.problems()) {
      assertFalse(problem.contains("\n"), problem);
    }
    return error.problems();
  }

  private static void assertProblem(List<String> problems, String expected) {
    if (problems.stream().noneMatch(problem -> problem.contains(expected))) {
      fail("no problem contains \"" + expected + "\": " + problems);
    }
  }

  private static Supplier<InputStream> stdinOf(String text) {
    return () -> new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void context_defaultDockerfileInTheContext() throws Exception {
    try (BuildOptions options = builder().build()) {
      assertEquals(new ContextSource.Local(context), options.context());
      assertEquals(new DockerfileSource.Local(context, "Dockerfile", false), options.dockerfile());
    }
  }

  @Test
  void context_lowercaseDockerfileIsFound() throws Exception {
    Files.delete(context.resolve("Dockerfile"));
    Files.writeString(context.resolve("dockerfile"), "FROM scratch\n");
    try (BuildOptions options = builder().build()) {
      assertEquals(new DockerfileSource.Local(context, "dockerfile", false), options.dockerfile());
    }
  }

  @Test
  void context_missingFolder() {
    List<String> problems = problems(builder().context("missing"));
    assertProblem(problems, "PATH: the build context folder \"missing\" does not exist");
  }

  @Test
  void context_isAFile() {
    List<String> problems = problems(builder().context("app/Dockerfile"));
    assertProblem(problems, "\"app/Dockerfile\" is a file, not a folder");
  }

  @Test
  void context_remoteUrl() throws Exception {
    try (BuildOptions options = builder().context("https://github.com/o/r.git#main").file("build/Dockerfile").build()) {
      assertEquals(new ContextSource.Remote("https://github.com/o/r.git#main"), options.context());
      assertEquals(new DockerfileSource.InRemoteContext("build/Dockerfile"), options.dockerfile());
    }
  }

  @Test
  void dockerfile_missing() {
    Path dockerfile = context.resolve("Dockerfile");
    try {
      Files.delete(dockerfile);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertProblem(problems(builder()), "no Dockerfile in the build context: " + dockerfile);
  }

  @Test
  void dockerfile_flagIsRelativeToTheWorkingDirectory() throws Exception {
    Path other = Files.createDirectories(workingDirectory.resolve("docker"));
    Files.writeString(other.resolve("app.Dockerfile"), "FROM scratch\n");
    try (BuildOptions options = builder().file("docker/app.Dockerfile").build()) {
      assertEquals(new DockerfileSource.Local(other, "app.Dockerfile", false), options.dockerfile());
    }
    assertProblem(problems(builder().file("app.Dockerfile")), "-f: the Dockerfile \"app.Dockerfile\" does not exist");
    assertProblem(problems(builder().file("docker")), "-f: \"docker\" is a folder");
  }

  @Test
  void dockerfile_fromStdinLivesUntilClose() throws Exception {
    Path directory;
    try (BuildOptions options = builder().file("-").stdin(stdinOf("FROM busybox\n")).build()) {
      DockerfileSource.Local dockerfile = (DockerfileSource.Local) options.dockerfile();
      assertTrue(dockerfile.fromStdin());
      assertEquals("FROM busybox\n", Files.readString(dockerfile.file()));
      assertEquals(new ContextSource.Local(context), options.context());
      directory = dockerfile.directory();
    }
    assertFalse(Files.exists(directory), "temporary Dockerfile folder deleted on close");
  }

  @Test
  void contextFromStdin_dockerfileWithEmptyContext() throws Exception {
    Path emptyContext;
    try (BuildOptions options = builder().context("-").stdin(stdinOf("FROM busybox\nRUN true\n")).build()) {
      emptyContext = ((ContextSource.Local) options.context()).directory();
      try (var entries = Files.list(emptyContext)) {
        assertEquals(0, entries.count());
      }
      DockerfileSource.Local dockerfile = (DockerfileSource.Local) options.dockerfile();
      assertEquals("FROM busybox\nRUN true\n", Files.readString(dockerfile.file()));
    }
    assertFalse(Files.exists(emptyContext));
  }

  @Test
  void contextFromStdin_conflicts() {
    assertProblem(problems(builder().context("-").file("-")), "stdin cannot be both the build context and the Dockerfile");
    assertProblem(problems(builder().context("-").file("app/Dockerfile").stdin(stdinOf("FROM scratch\n"))),
        "both stdin and -f name a Dockerfile");
    assertProblem(problems(builder().context("-").stdin(stdinOf(""))), "stdin is empty");
  }

  @Test
  void contextFromStdin_archiveStreamsWhole() throws Exception {
    byte[] gzip = new byte[5000];
    gzip[0] = 0x1F;
    gzip[1] = (byte) 0x8B;
    gzip[2] = 0x08;
    gzip[4999] = 42;
    try (BuildOptions options = builder().context("-").file("docker/app.Dockerfile")
        .stdin(() -> new ByteArrayInputStream(gzip)).build()) {
      ContextSource.Archive archive = (ContextSource.Archive) options.context();
      assertArrayEquals(gzip, archive.stream().readAllBytes());
      assertTrue(archive.uploadId().matches("[0-9a-f]{32}"), archive.uploadId());
      assertEquals(new DockerfileSource.InRemoteContext("docker/app.Dockerfile"), options.dockerfile());
    }
  }

  @Test
  void contextFromStdin_archiveDefaultsToDockerfile() throws Exception {
    byte[] bzip2 = {0x42, 0x5A, 0x68, 0x39};
    try (BuildOptions options = builder().context("-").stdin(() -> new ByteArrayInputStream(bzip2)).build()) {
      assertEquals(new DockerfileSource.InRemoteContext("Dockerfile"), options.dockerfile());
    }
  }

  @Test
  void contextFromStdin_archiveRejectsAbsoluteFile() {
    byte[] gzip = {0x1F, (byte) 0x8B, 0x08, 0, 0, 0};
    List<String> problems = problems(builder().context("-").file("/abs/Dockerfile").stdin(() -> new ByteArrayInputStream(gzip)));
    assertProblem(problems, "-f names a file inside the archive");
  }

  @Test
  void isArchive_detectsTarHeaders() {
    byte[] header = new byte[1024];
    byte[] name = "Dockerfile".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, header, 0, name.length);
    for (int i = 148; i < 156; i++) {
      header[i] = ' ';
    }
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += header[i] & 0xFF;
    }
    byte[] checksum = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(checksum, 0, header, 148, 8);
    assertTrue(BuildInputsResolver.isArchive(header));
    assertFalse(BuildInputsResolver.isArchive("FROM scratch\n".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void problems_allReportedAtOnce() {
    List<String> problems = problems(builder()
        .tags(List.of("Foo/bar", "a:b:c"))
        .outputs(List.of("type=foo"))
        .platforms(List.of("linux/amd 64"))
        .shmSize("lots")
        .progress("fancy"));
    assertProblem(problems, "--tag: invalid image reference \"Foo/bar\": repository name must be lowercase");
    assertProblem(problems, "--tag: invalid image reference \"a:b:c\"");
    assertProblem(problems, "--output: invalid output \"type=foo\": unknown type \"foo\"");
    assertProblem(problems, "--platform: invalid platform \"linux/amd 64\"");
    assertProblem(problems, "--shm-size: invalid size \"lots\"");
    assertProblem(problems, "--progress: invalid progress mode \"fancy\"");
    assertEquals(6, problems.size(), problems.toString());
  }

  @Test
  void problems_stdinIsNotReadWhenOtherValuesAreInvalid() {
    problems(builder().file("-").tags(List.of("a:b:c")));
  }

  @Test
  void buildArgs_bareKeyReadsTheEnvironment() throws Exception {
    try (BuildOptions options = builder()
        .environment(Map.of("FROM_ENV", "env value", "SOURCE_DATE_EPOCH", "1700000000"))
        .buildArgs(List.of("A=1", "FROM_ENV", "UNSET", "EMPTY=", "B=x=y"))
        .build()) {
      assertEquals(List.of("A", "FROM_ENV", "EMPTY", "B", "SOURCE_DATE_EPOCH"), List.copyOf(options.buildArgs().keySet()));
      assertEquals("env value", options.buildArgs().get("FROM_ENV"));
      assertEquals("", options.buildArgs().get("EMPTY"));
      assertEquals("x=y", options.buildArgs().get("B"));
      assertEquals("1700000000", options.buildArgs().get("SOURCE_DATE_EPOCH"));
    }
    assertProblem(problems(builder().buildArgs(List.of("=x"))), "--build-arg: invalid \"=x\": the key is empty");
  }

  @Test
  void labels_bareKeyIsEmpty() throws Exception {
    try (BuildOptions options = builder().labels(List.of("team=build", "beta")).build()) {
      assertEquals(Map.of("team", "build", "beta", ""), options.labels());
    }
  }

  @Test
  void progress_quietConflictsAndImplications() throws Exception {
    assertProblem(problems(builder().quiet(true).progress("plain")), "--quiet: cannot be combined with --progress=plain");
    try (BuildOptions options = builder().quiet(true).build()) {
      assertEquals(ProgressMode.QUIET, options.progress());
    }
    try (BuildOptions options = builder().progress("quiet").build()) {
      assertTrue(options.quiet());
    }
  }

  @Test
  void noCache_conflictsWithFilter() {
    assertProblem(problems(builder().noCache(true).noCacheFilter(List.of("build"))), "--no-cache-filter: cannot be combined with --no-cache");
  }

  @Test
  void push_needsAName() throws Exception {
    assertProblem(problems(builder().push(true)), "an image name is needed to push");
    assertProblem(problems(builder().outputs(List.of("type=registry"))), "an image name is needed to push");
    assertProblem(problems(builder().outputs(List.of("type=image,push=true"))), "an image name is needed to push");
    builder().outputs(List.of("type=image,name=127.0.0.1:5000/a,push=true")).build().close();
    builder().push(true).tags(List.of("127.0.0.1:5000/a")).build().close();
  }

  @Test
  void outputs_destinationsBecomeAbsolute() throws Exception {
    try (BuildOptions options = builder().outputs(List.of("out", "type=tar,dest=image.tar", "-")).build()) {
      assertEquals(Optional.of(workingDirectory.resolve("out").toString()), options.outputs().get(0).destination());
      assertEquals(Optional.of(workingDirectory.resolve("image.tar").toString()), options.outputs().get(1).destination());
      assertEquals(Optional.of("-"), options.outputs().get(2).destination());
    }
  }

  @Test
  void outputs_destinationChecks() throws IOException {
    Files.writeString(workingDirectory.resolve("file"), "x");
    assertProblem(problems(builder().outputs(List.of("type=local,dest=file"))), "is a file; the local exporter writes a folder");
    assertProblem(problems(builder().outputs(List.of("type=tar,dest=app"))), "is a folder; the tar exporter writes one file");
    assertProblem(problems(builder().outputs(List.of("-", "type=oci"))), "more than one output writes to stdout");
    assertProblem(problems(builder().stdoutIsTerminal(true).outputs(List.of("-"))), "would write a tar tarball to the terminal");
    assertProblem(problems(builder().imageIdFile("id.txt").outputs(List.of("out"))), "--iidfile: the local output produces no image ID");
  }

  @Test
  void cache_localPathsAndRequiredAttributes() throws Exception {
    try (BuildOptions options = builder().cacheTo(List.of("type=local,dest=cache")).cacheFrom(List.of("type=local,src=cache", "user/app:cache")).build()) {
      assertEquals(workingDirectory.resolve("cache").toString(), options.cacheTo().get(0).attributes().get("dest"));
      assertEquals(workingDirectory.resolve("cache").toString(), options.cacheFrom().get(0).attributes().get("src"));
      assertEquals("registry", options.cacheFrom().get(1).type());
    }
    assertProblem(problems(builder().cacheTo(List.of("type=local"))), "--cache-to: type=local: the local cache needs dest=FOLDER");
    assertProblem(problems(builder().cacheFrom(List.of("type=registry,mode=max"))), "the registry cache needs ref=");
  }

  @Test
  void cache_gitHubActionsTakesCredentialsFromTheEnvironment() throws Exception {
    Map<String, String> environment = Map.of("ACTIONS_RUNTIME_TOKEN", "runtime-token", "ACTIONS_CACHE_URL", "http://127.0.0.1:9/cache/");
    try (BuildOptions options = builder().environment(environment).cacheTo(List.of("type=gha,mode=max")).build()) {
      CacheSpec entry = options.cacheTo().get(0);
      assertEquals("runtime-token", entry.attributes().get("token"));
      assertEquals("http://127.0.0.1:9/cache/", entry.attributes().get("url"));
      assertFalse(entry.toString().contains("runtime-token"));
    }
    try (BuildOptions options = builder().cacheTo(List.of("type=gha")).build()) {
      assertEquals(List.of(), options.cacheTo());
      assertTrue(options.warnings().get(0).contains("skipping the GitHub Actions cache"), options.warnings().toString());
    }
  }

  @Test
  void buildContexts_localFoldersAndNames() throws Exception {
    Path shared = Files.createDirectories(workingDirectory.resolve("shared"));
    try (BuildOptions options = builder()
        .buildContexts(List.of("shared=shared", "docker.io/library/alpine=docker-image://alpine:3.20", "shared=./shared"))
        .build()) {
      assertEquals(2, options.buildContexts().size());
      assertEquals("alpine", options.buildContexts().get(0).name());
      assertEquals(new BuildContextSpec("shared", new BuildContextSpec.LocalDirectory(shared)), options.buildContexts().get(1));
    }
    assertProblem(problems(builder().buildContexts(List.of("src=missing"))), "does not exist");
  }

  @Test
  void buildContexts_ociLayoutDigestFromIndex() throws Exception {
    Path layout = Files.createDirectories(workingDirectory.resolve("layout"));
    String digest = "sha256:" + "c".repeat(64);
    Files.writeString(layout.resolve("index.json"),
        "{\"manifests\":[{\"digest\":\"" + digest + "\",\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}");
    try (BuildOptions options = builder().buildContexts(List.of("img=oci-layout://layout:v1")).build()) {
      assertEquals(new BuildContextSpec.OciLayout(layout, Optional.of("v1"), Optional.of(digest)), options.buildContexts().get(0).source());
    }
  }

  @Test
  void attests_shorthandsAndDuplicates() throws Exception {
    try (BuildOptions options = builder().attests(List.of("type=sbom")).provenance("mode=max").build()) {
      assertEquals(List.of("sbom", "provenance"), options.attests().stream().map(AttestSpec::type).toList());
    }
    assertProblem(problems(builder().attests(List.of("type=provenance")).provenance("false")), "the provenance attestation is requested twice");
  }

  @Test
  void ulimits_lastOneWinsSortedByName() throws Exception {
    try (BuildOptions options = builder().ulimits(List.of("nproc=10", "nofile=1", "nofile=2:3")).build()) {
      assertEquals(List.of(new Ulimit("nofile", 2, 3), new Ulimit("nproc", 10, 10)), options.ulimits());
    }
  }

  @Test
  void allow_commaListsAndDevices() throws Exception {
    try (BuildOptions options = builder().allow(List.of("network.host,security.insecure", "device=gpu,alias=x")).build()) {
      assertEquals(List.of("network.host", "security.insecure", "device=gpu,alias=x"), options.allow().stream().map(Entitlement::value).toList());
    }
  }

  @Test
  void defaults_fromEnvironmentSwitches() throws Exception {
    try (BuildOptions options = builder().environment(Map.of("BUILDX_NO_DEFAULT_ATTESTATIONS", "1", "BUILDX_NO_DEFAULT_LOAD", "true")).build()) {
      assertFalse(options.defaultAttestations());
      assertFalse(options.defaultLoad());
    }
    try (BuildOptions options = builder().build()) {
      assertTrue(options.defaultAttestations());
      assertTrue(options.defaultLoad());
      assertEquals(NetworkMode.DEFAULT, options.network());
      assertEquals(BuildPlatform.DYNAMIC, options.buildPlatform());
      assertEquals(LintFailOn.ERROR, options.lintFailOn());
    }
  }

  @Test
  void builderEndpoint_tlsDirectory() throws Exception {
    Path tls = Files.createDirectories(workingDirectory.resolve("tls"));
    for (String name : List.of("ca.pem", "tls.crt", "tls.key")) {
      Files.writeString(tls.resolve(name), "x");
    }
    try (BuildOptions options = builder().builderAddress("tcp://127.0.0.1:1234").tlsDirectory("tls").build()) {
      BuilderEndpoint endpoint = options.builderEndpoint();
      assertEquals(Optional.of(tls.resolve("ca.pem")), endpoint.caCertificate());
      assertEquals(Optional.of(tls.resolve("tls.crt")), endpoint.clientCertificate());
      assertEquals(Optional.of(tls.resolve("tls.key")), endpoint.clientKey());
      assertEquals(Optional.of("127.0.0.1"), endpoint.effectiveServerName());
      assertTrue(endpoint.usesTls());
    }
    assertProblem(problems(builder().tlsDirectory("tls").tlsCaCertificate("tls/ca.pem")), "--tlsdir: cannot be combined");
    assertProblem(problems(builder().tlsCertificate("tls/tls.crt")), "needs both --tlscert and --tlskey");
    assertProblem(problems(builder().tlsCaCertificate("missing.pem")), "--tlscacert: ");
    assertProblem(problems(builder().builderAddress("localhost:1234")), "--builder: invalid builder address \"localhost:1234\"");
  }

  @Test
  void token_neverShown() throws Exception {
    try (BuildOptions options = builder().token("depot-secret").build()) {
      assertEquals("depot-secret", options.token().orElseThrow().value());
      assertFalse(options.token().toString().contains("depot-secret"));
    }
  }
}

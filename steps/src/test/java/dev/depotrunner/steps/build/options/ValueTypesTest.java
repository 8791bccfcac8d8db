package dev.depotrunner.steps.build.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The small value types behind single flags. */
class ValueTypesTest {

  @Test
  void hostEntry_forms() {
    assertEquals(new HostEntry("db", "10.0.0.5"), HostEntry.parse("db:10.0.0.5"));
    assertEquals(new HostEntry("db", "10.0.0.5"), HostEntry.parse("db=10.0.0.5"));
    assertEquals(new HostEntry("db", "::1"), HostEntry.parse("db=::1"));
    assertEquals(new HostEntry("db", "::1"), HostEntry.parse("db:::1"));
    assertEquals(new HostEntry("db", "2001:db8::1"), HostEntry.parse("db=[2001:db8::1]"));
    assertEquals(new HostEntry("db", "::ffff:10.0.0.1"), HostEntry.parse("db=::ffff:10.0.0.1"));
    assertEquals(new HostEntry("gw", "host-gateway"), HostEntry.parse("gw:host-gateway"));
    assertEquals("db=10.0.0.5", HostEntry.parse("db:10.0.0.5").toString());
  }

  @Test
  void hostEntry_parseAllSplitsCommas() {
    assertEquals(List.of(new HostEntry("a", "10.0.0.1"), new HostEntry("b", "10.0.0.2")), HostEntry.parseAll("a=10.0.0.1,b=10.0.0.2"));
  }

  @Test
  void hostEntry_errors() {
    for (String value : new String[] {"db", "db=", "=10.0.0.1", "db=10.0.0.256", "db=010.0.0.1", "db=example.com", "db=1:2:3", "db=1::2::3"}) {
      String message = assertThrows(InvalidOptionException.class, () -> HostEntry.parse(value), value).getMessage();
      assertTrue(message.contains("\"" + value + "\""), message);
    }
  }

  @Test
  void ulimit_forms() {
    assertEquals(new Ulimit("nofile", 1024, 2048), Ulimit.parse("nofile=1024:2048"));
    assertEquals(new Ulimit("nproc", 64, 64), Ulimit.parse("nproc=64"));
    assertEquals(new Ulimit("memlock", -1, -1), Ulimit.parse("memlock=infinity"));
    assertEquals(new Ulimit("core", 0, -1), Ulimit.parse("core=0:-1"));
    assertEquals("nofile=1024:2048", Ulimit.parse("nofile=1024:2048").toString());
  }

  @Test
  void ulimit_errors() {
    assertTrue(assertThrows(InvalidOptionException.class, () -> Ulimit.parse("files=1")).getMessage().contains("unknown limit"));
    assertTrue(assertThrows(InvalidOptionException.class, () -> Ulimit.parse("nofile=2048:1024")).getMessage().contains("exceeds"));
    assertThrows(InvalidOptionException.class, () -> Ulimit.parse("nofile=-1:1024"));
    assertThrows(InvalidOptionException.class, () -> Ulimit.parse("nofile=1:2:3"));
    assertThrows(InvalidOptionException.class, () -> Ulimit.parse("nofile=x"));
    assertThrows(InvalidOptionException.class, () -> Ulimit.parse("nofile"));
  }

  @Test
  void memorySize_units() {
    assertEquals(100, MemorySize.parse("100").bytes());
    assertEquals(64L << 20, MemorySize.parse("64m").bytes());
    assertEquals(64L << 20, MemorySize.parse("64MB").bytes());
    assertEquals(64L << 20, MemorySize.parse("64MiB").bytes());
    assertEquals(64L << 20, MemorySize.parse("64 m").bytes());
    assertEquals(1L << 30, MemorySize.parse("1g").bytes());
    assertEquals(1536, MemorySize.parse("1.5k").bytes());
    assertEquals(2, MemorySize.parse("2b").bytes());
  }

  @Test
  void memorySize_errors() {
    for (String value : new String[] {"", "-1", "abc", "1.2.3m", "1x", "1  m", "m"}) {
      assertThrows(InvalidOptionException.class, () -> MemorySize.parse(value), value);
    }
  }

  @Test
  void enums_parseTheirFlagValues() {
    assertEquals(NetworkMode.DEFAULT, NetworkMode.parse(""));
    assertEquals(NetworkMode.HOST, NetworkMode.parse("host"));
    assertTrue(assertThrows(InvalidOptionException.class, () -> NetworkMode.parse("bridge")).getMessage().contains("\"bridge\""));
    assertEquals(ProgressMode.RAWJSON, ProgressMode.parse("rawjson"));
    assertThrows(InvalidOptionException.class, () -> ProgressMode.parse("fancy"));
    assertEquals(BuildPlatform.LINUX_ARM64, BuildPlatform.parse("linux/arm64"));
    assertThrows(InvalidOptionException.class, () -> BuildPlatform.parse("linux/386"));
    assertEquals(LintFailOn.WARN, LintFailOn.parse("warn"));
    assertThrows(InvalidOptionException.class, () -> LintFailOn.parse("fatal"));
  }

  @Test
  void entitlement_forms() {
    assertEquals("network.host", Entitlement.parse("network.host").value());
    assertEquals("device=nvidia.com/gpu=all,alias=gpu", Entitlement.parse("device=nvidia.com/gpu=all,alias=gpu").value());
    assertThrows(InvalidOptionException.class, () -> Entitlement.parse("device=x,color=red"));
    assertTrue(assertThrows(InvalidOptionException.class, () -> Entitlement.parse("root")).getMessage().contains("\"root\""));
  }

  @Test
  void annotation_forms() {
    assertEquals("annotation.org.opencontainers.image.title", Annotation.parse("org.opencontainers.image.title=x").get(0).exporterAttribute());
    List<Annotation> annotations = Annotation.parse("index,manifest[linux/arm64]:title=x");
    assertEquals("annotation-index.title", annotations.get(0).exporterAttribute());
    assertEquals("annotation-manifest[linux/arm64].title", annotations.get(1).exporterAttribute());
    assertTrue(annotations.get(0).onIndex());
    assertThrows(InvalidOptionException.class, () -> Annotation.parse("layer:title=x"));
    assertThrows(InvalidOptionException.class, () -> Annotation.parse("title"));
  }

  @Test
  void buildContextSpec_sources() {
    assertEquals(new BuildContextSpec("alpine", new BuildContextSpec.PassThrough("docker-image://alpine:3.20")),
        BuildContextSpec.parse("docker.io/library/alpine:latest=docker-image://alpine:3.20"));
    assertEquals(new BuildContextSpec("base", new BuildContextSpec.PassThrough("target:builder")), BuildContextSpec.parse("base=target:builder"));
    assertEquals(new BuildContextSpec("src", new BuildContextSpec.PassThrough("https://github.com/o/r.git#main")),
        BuildContextSpec.parse("src=https://github.com/o/r.git#main"));
    assertEquals(new BuildContextSpec("src", new BuildContextSpec.LocalDirectory(Path.of("./src"))), BuildContextSpec.parse("src=./src"));
    assertEquals(new BuildContextSpec("img", new BuildContextSpec.OciLayout(Path.of("./layout"), Optional.of("v1"), Optional.empty())),
        BuildContextSpec.parse("img=oci-layout://./layout:v1"));
    assertEquals(new BuildContextSpec("img", new BuildContextSpec.OciLayout(Path.of("layout"), Optional.of("latest"), Optional.empty())),
        BuildContextSpec.parse("img=oci-layout://layout"));
    String digest = "sha256:" + "b".repeat(64);
    assertEquals(new BuildContextSpec("img", new BuildContextSpec.OciLayout(Path.of("layout"), Optional.empty(), Optional.of(digest))),
        BuildContextSpec.parse("img=oci-layout://layout@" + digest));
  }

  @Test
  void buildContextSpec_errors() {
    assertThrows(InvalidOptionException.class, () -> BuildContextSpec.parse("src"));
    assertThrows(InvalidOptionException.class, () -> BuildContextSpec.parse("Src=./src"));
    assertThrows(InvalidOptionException.class, () -> BuildContextSpec.parse("src="));
  }

  @Test
  void remoteContexts_recognizeGitAndHttp() {
    assertTrue(RemoteContexts.isRemote("https://example.com/context.tar.gz"));
    assertTrue(RemoteContexts.isRemote("git@github.com:o/r.git"));
    assertTrue(RemoteContexts.isRemote("ssh://git@example.com/o/r.git"));
    assertTrue(RemoteContexts.isRemote("git://example.com/o/r"));
    assertTrue(RemoteContexts.isRemote("github.com/o/r"));
    assertFalse(RemoteContexts.isRemote("./github.com/o/r"));
    assertFalse(RemoteContexts.isRemote("docker-image://alpine"));
    assertFalse(RemoteContexts.isRemote("src"));
    assertTrue(RemoteContexts.isGitSsh("git@github.com:o/r.git"));
    assertFalse(RemoteContexts.isGitSsh("https://github.com/o/r.git"));
    assertTrue(RemoteContexts.hasGitQuery("https://github.com/o/r.git?ref=main"));
    assertFalse(RemoteContexts.hasGitQuery("https://github.com/o/r.git#main"));
  }

  @Test
  void depotToken_hidesItsValue() {
    assertFalse(new DepotToken("secret-value").toString().contains("secret-value"));
  }

  @Test
  void goBool_acceptsGoSpellings() {
    for (String value : new String[] {"1", "t", "T", "TRUE", "true", "True"}) {
      assertEquals(Optional.of(true), GoBool.parse(value), value);
    }
    assertEquals(Optional.empty(), GoBool.parse("yes"));
    assertFalse(GoBool.isTrue(null));
  }
}

package dev.depotrunner.runner.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.depotrunner.buildkit.progress.ProgressGroup;
import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.buildkit.progress.VertexState;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetNamesTest {

  @Test
  void prefix_joinsBracketedStageName() {
    assertEquals("[app build 2/4] RUN make", TargetNames.prefix("[build 2/4] RUN make", "app"));
    assertEquals("[app internal] load .dockerignore", TargetNames.prefix("[internal] load .dockerignore", "app"));
  }

  @Test
  void prefix_bracketsPlainName() {
    assertEquals("[app] exporting to image", TargetNames.prefix("exporting to image", "app"));
  }

  @Test
  void prefix_renamesVertexesAndGroups() {
    VertexState grouped =
        new VertexState("sha256:a", List.of(), "merge", false, null, null, "", new ProgressGroup("g", "exporting", false));
    SolveStatus status = new SolveStatus(List.of(grouped), List.of(), List.of(), List.of());

    VertexState renamed = TargetNames.prefix(status, "web").vertexes().get(0);

    assertEquals("[web] merge", renamed.name());
    assertEquals("[web] exporting", renamed.progressGroup().name());
    assertEquals("g", renamed.progressGroup().id());
  }

  @Test
  void prefix_keepsBatchWithoutVertexes() {
    SolveStatus status = Statuses.logs(Statuses.log("sha256:a", 1.0, "x\n"));

    assertSame(status, TargetNames.prefix(status, "web"));
  }
}

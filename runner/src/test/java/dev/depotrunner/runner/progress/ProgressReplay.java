package dev.depotrunner.runner.progress;

import dev.depotrunner.steps.events.BuildEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replays a build recorded with {@code docker buildx build --progress=rawjson} through a renderer
 * in real time, to look at the tty view in a terminal: {@code ProgressReplay FILE [MODE]
 * [FAILURE-MESSAGE]}.
 */
public final class ProgressReplay {

  private static final Pattern TIME = Pattern.compile("\"(?:started|completed|timestamp)\":\"([^\"]+)\"");

  private ProgressReplay() {}

  public static void main(String[] args) throws Exception {
    ProgressMode mode = args.length > 1 ? ProgressMode.parse(args[1]) : ProgressMode.AUTO;
    ProgressRenderer renderer = ProgressRenderers.create(mode, System.err, ProgressRenderers.isTerminal());
    List<String> lines = Files.readAllLines(Path.of(args[0]));

    Instant previous = null;
    for (String line : lines) {
      if (!line.startsWith("{")) {
        continue;
      }
      Instant latest = latestTime(line);
      if (previous != null && latest != null && latest.isAfter(previous)) {
        Thread.sleep(Math.min(2000, Duration.between(previous, latest).toMillis()));
      }
      if (latest != null && (previous == null || latest.isAfter(previous))) {
        previous = latest;
      }
      renderer.onEvent(new BuildEvent.Progress("default", SolveStatusReader.read(line)));
    }
    if (args.length > 2) {
      renderer.onEvent(new BuildEvent.Failed("default", args[2], "", null, Instant.now()));
    }
    Thread.sleep(300);
    renderer.close();
  }

  private static Instant latestTime(String line) {
    Instant latest = null;
    Matcher matcher = TIME.matcher(line);
    while (matcher.find()) {
      Instant time = Instant.parse(matcher.group(1));
      if (latest == null || time.isAfter(latest)) {
        latest = time;
      }
    }
    return latest;
  }
}

package dev.depotrunner.runner.progress;

import dev.depotrunner.buildkit.progress.VertexProgress;
import dev.depotrunner.buildkit.progress.VertexWarning;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Draws a {@link Trace} as docker buildx's tty view (moby/buildkit
 * util/progress/progressui/display.go): a header with the elapsed time and the count of finished
 * vertexes, one line per vertex and per task with its time, and the last lines of output of busy
 * vertexes. Each frame moves the cursor back up over the previous one and overwrites it. When the
 * vertexes do not fit, the finished ones at the top scroll away first.
 */
final class TtyDisplay {

  private static final String PHASE = "Building";
  private static final String PREFIX = " => ";

  /** One line of the view: a vertex, one of its tasks, or one of its warnings. */
  private static final class Job {
    List<Interval> intervals = new ArrayList<>();
    boolean completed;
    String name;
    String status = "";
    boolean hasError;
    boolean canceled;
    TraceVertex vertex;
    boolean showScreen;
  }

  private record Frame(Instant startTime, List<Job> jobs, int countTotal, int countCompleted) {}

  private final TextOutput out;
  private final boolean color;
  private int lineCount;
  private boolean repeated;

  TtyDisplay(TextOutput out, boolean color) {
    this.out = out;
    this.color = color;
  }

  /**
   * Draws a frame over the previous one.
   *
   * @param all whether this is the last frame: it then lists every vertex, even those that do not
   *     fit the terminal, and the header says FINISHED when all vertexes finished
   */
  void print(Trace trace, TerminalSize size, boolean all, Instant now) {
    Frame frame = frame(trace, now);
    List<Job> jobs = chooseScreens(frame.jobs(), size.height(), all);
    int width = size.width();

    StringBuilder text = new StringBuilder();
    text.append(Ansi.up(1).repeat(lineCount + 1));
    if (!repeated) {
      text.append(Ansi.down(1));
    }
    repeated = true;
    text.append(Ansi.column(0));
    text.append(Ansi.HIDE_CURSOR);

    String status = "";
    if (frame.countCompleted() > 0 && frame.countCompleted() == frame.countTotal() && all) {
      status = "FINISHED";
    }
    double elapsed = NumberFormats.seconds(frame.startTime(), now);
    String header =
        "[+] " + PHASE + " " + NumberFormats.fixed(elapsed, 1) + "s ("
            + frame.countCompleted() + "/" + frame.countTotal() + ") " + status;
    header = align(header, "", width);
    if (header.length() > width) {
      header = header.substring(0, width);
    }
    text.append(header).append('\n');

    int lines = 0;
    for (Job job : jobs) {
      String line = jobLine(job, width, now);
      if (line == null) {
        continue;
      }
      text.append(line);
      lines++;
      if (job.showScreen) {
        LogScreen screen = job.vertex.screen;
        screen.resize(Trace.SCREEN_HEIGHT, width - Trace.SCREEN_PADDING);
        for (String screenLine : screen.nonBlankLines()) {
          text.append(Ansi.apply(" => => # " + screenLine + "\n", Ansi.FAINT));
          lines++;
        }
        job.vertex.screenShown++;
        job.showScreen = false;
      }
    }

    // Blank the lines the previous frame used beyond this one, then go back up.
    int leftover = lineCount - lines;
    if (leftover > 0) {
      for (int i = 0; i < leftover; i++) {
        text.append(" ".repeat(width)).append('\n');
      }
      text.append(Ansi.up(leftover)).append(Ansi.column(0));
    }
    lineCount = lines;
    text.append(Ansi.SHOW_CURSOR);
    out.print(text.toString());
  }

  /**
   * Prints a line of text above the view, such as a notice, and leaves the view to be drawn again
   * below it.
   */
  void printAbove(String line) {
    StringBuilder text = new StringBuilder();
    if (repeated) {
      text.append(Ansi.up(lineCount + 1)).append(Ansi.column(0)).append(Ansi.ERASE_DOWN);
    }
    text.append(line).append('\n');
    out.print(text.toString());
    lineCount = 0;
    repeated = false;
  }

  /** Formats a job's line, or returns null when the terminal is too narrow to show it. */
  private String jobLine(Job job, int width, Instant now) {
    if (job.intervals.isEmpty()) {
      return null;
    }
    double seconds = 0;
    for (Interval interval : job.intervals) {
      seconds += NumberFormats.seconds(interval.duration(now));
    }
    if (seconds < 0.05) {
      seconds = 0;
    }
    String timer = String.format(" %3s", NumberFormats.fixed(seconds, 1)) + "s\n";

    int left = width - PREFIX.length() - timer.length() - 1;
    boolean showStatus = false;
    if (!job.status.isEmpty() && left + job.status.length() > 20) {
      showStatus = true;
      left -= job.status.length() + 1;
    }
    if (left < 12) {
      return null;
    }
    String name = job.name.length() > left ? job.name.substring(0, left) : job.name;

    String line = PREFIX + name;
    if (showStatus) {
      line += " " + job.status;
    }
    line = align(line, timer, width);
    if (job.completed && color) {
      String lineColor = Ansi.BLUE;
      if (job.canceled) {
        lineColor = Ansi.YELLOW;
      } else if (job.hasError) {
        lineColor = Ansi.RED;
      }
      line = Ansi.apply(line, lineColor);
    }
    return line;
  }

  /** Pads the left text so that the right text ends at the given width. */
  private static String align(String left, String right, int width) {
    int leftWidth = width - right.length() - 1;
    StringBuilder line = new StringBuilder(left);
    while (line.length() < leftWidth) {
      line.append(' ');
    }
    return line.append(' ').append(right).toString();
  }

  private static Frame frame(Trace trace, Instant now) {
    Instant startTime = now;
    if (trace.startTime != null) {
      startTime = trace.startTime.plus(trace.localTimeDiff);
    }

    // Like BuildKit, this counts every digest, so a progress group counts once per member.
    int countTotal = trace.byDigest.size();
    int countCompleted = 0;
    for (TraceVertex vertex : trace.byDigest.values()) {
      if (vertex.inGroup() || vertex.hidden) {
        countTotal--;
        continue;
      }
      if (vertex.isCompleted()) {
        countCompleted++;
      }
    }

    List<Job> jobs = new ArrayList<>();
    for (TraceVertex vertex : trace.vertexes) {
      addJobs(jobs, vertex, trace.localTimeDiff);
    }
    return new Frame(startTime, jobs, countTotal, countCompleted);
  }

  private static void addJobs(List<Job> jobs, TraceVertex vertex, Duration localTimeDiff) {
    Job job = new Job();
    job.name = vertex.state.name().replace('\t', ' ');
    job.vertex = vertex;
    job.completed = true;
    for (Interval interval : vertex.intervals.values()) {
      job.intervals.add(interval.shift(localTimeDiff));
      if (interval.stop() == null) {
        job.completed = false;
      }
    }
    job.intervals = Interval.merge(job.intervals);
    if (!vertex.state.error().isEmpty()) {
      if (vertex.isCanceled()) {
        job.canceled = true;
        job.name = "CANCELED " + job.name;
      } else {
        job.hasError = true;
        job.name = "ERROR " + job.name;
      }
    }
    if (vertex.state.cached()) {
      job.name = "CACHED " + job.name;
    }
    jobs.add(job);

    for (String id : vertex.statusIds) {
      VertexProgress task = vertex.statusById.get(id);
      Job taskJob = new Job();
      taskJob.intervals.add(new Interval(task.started(), task.completed()).shift(localTimeDiff));
      taskJob.completed = task.completed() != null;
      taskJob.name = "=> " + id;
      if (task.total() != 0) {
        taskJob.status = NumberFormats.bytes(task.current()) + " / " + NumberFormats.bytes(task.total());
      } else if (task.current() != 0) {
        taskJob.status = NumberFormats.bytes(task.current());
      }
      jobs.add(taskJob);
    }

    Interval latest = vertex.mostRecentInterval();
    for (VertexWarning warning : vertex.warnings) {
      Job warningJob = new Job();
      warningJob.intervals.add(latest == null ? new Interval(null, null) : latest.shift(localTimeDiff));
      warningJob.name = "WARN: " + warning.message();
      // BuildKit marks warning lines canceled but never completed, so they keep the default color.
      warningJob.canceled = true;
      jobs.add(warningJob);
    }
  }

  /**
   * Picks the busy vertexes whose last lines of output are shown, the busiest first, while the
   * terminal has room, and drops lines that do not fit unless {@code all} is set.
   */
  private static List<Job> chooseScreens(List<Job> jobs, int height, boolean all) {
    List<Job> candidates = new ArrayList<>();
    int inUse = 0;
    for (Job job : jobs) {
      if (job.vertex != null && job.vertex.screenBytes > 0 && !job.completed) {
        candidates.add(job);
      }
      if (!job.completed) {
        inUse++;
      }
    }
    candidates.sort(
        Comparator.comparingLong((Job job) -> job.vertex.screenBytes + job.vertex.screenShown * 50L)
            .reversed());

    int free = height - 2 - inUse;
    int hiddenByScreens = 0;
    int screenLimit = Trace.SCREEN_HEIGHT + 3;
    for (int i = 0; free > screenLimit && i < candidates.size(); i++) {
      candidates.get(i).showScreen = true;
      hiddenByScreens += candidates.get(i).vertex.screen.usedHeight();
      free -= screenLimit;
    }

    if (all) {
      return jobs;
    }
    return wrapHeight(jobs, height - 2 - hiddenByScreens);
  }

  /**
   * Keeps the last {@code limit} jobs. Jobs still running from the part cut off replace finished
   * ones, so that nothing running disappears.
   */
  private static List<Job> wrapHeight(List<Job> jobs, int limit) {
    if (limit < 0) {
      return List.of();
    }
    if (jobs.size() <= limit) {
      return jobs;
    }
    List<Job> wrapped = jobs.subList(jobs.size() - limit, jobs.size());
    List<Job> invisible = new ArrayList<>();
    for (Job job : jobs.subList(0, jobs.size() - limit)) {
      if (!job.completed) {
        invisible.add(job);
      }
    }
    if (invisible.isEmpty()) {
      return wrapped;
    }

    List<Job> rewrapped = new ArrayList<>();
    int toReplace = invisible.size();
    for (Job job : wrapped) {
      if (!job.completed || toReplace <= 0) {
        rewrapped.add(job);
      }
      toReplace--;
    }
    int freeSpace = wrapped.size() - rewrapped.size();
    List<Job> result = new ArrayList<>(invisible.subList(invisible.size() - freeSpace, invisible.size()));
    result.addAll(rewrapped);
    return result;
  }
}

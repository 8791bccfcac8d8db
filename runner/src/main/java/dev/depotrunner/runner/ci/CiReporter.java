package dev.depotrunner.runner.ci;

import dev.depotrunner.runner.progress.ProgressRenderer;
import java.io.PrintStream;

/**
 * Reports a build in the idiom of the CI it runs in: log groups around each target's phases,
 * annotations on Dockerfile lines, output variables and a summary. Create one with {@link
 * CiReporters#create}.
 *
 * <p>Use it in this order: {@link #registerSecret} for every secret before anything prints, create the
 * progress renderer on {@link #output()}, {@link #attach} it and send all events to what that returns,
 * close that renderer, then {@link #finish} once.
 */
public interface CiReporter {

  /**
   * Adds a secret. GitHub Actions gets a mask command for each line of it, which hides it in the whole
   * job log. Every reporter also replaces it, and each of its lines, with {@code ***} in the lines
   * written to {@link #output()} and in the annotations, reports and summaries it writes. Blank values
   * are ignored.
   */
  void registerSecret(String secret);

  /**
   * Returns the stream to create the progress renderer on. In CI it passes whole lines on to the log
   * with secrets redacted, and on GitHub Actions it also stops workflow commands while build output
   * prints, so that a RUN step cannot send them. Outside CI it is the log itself.
   */
  PrintStream output();

  /**
   * Returns a renderer that records each event for the reports and then hands it to {@code
   * renderer}, opening and ending the CI's log groups around it. Closing the returned renderer ends
   * the open group before {@code renderer} prints its closing warnings and errors, so those stay
   * visible, and then prints the CI's annotations.
   */
  ProgressRenderer attach(ProgressRenderer renderer);

  /**
   * Writes the outputs, reports and summary of the finished build.
   *
   * @throws CiReportException when a file the CI reads cannot be written, or the CI's agent fails
   */
  void finish(ReportContext context) throws CiReportException;
}

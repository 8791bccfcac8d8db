package dev.depotrunner.runner.ci;

/** A CI report (output file, summary, annotation) could not be written; the message names the file or command. */
public final class CiReportException extends Exception {

  CiReportException(String message, Throwable cause) {
    super(message, cause);
  }

  CiReportException(String message) {
    super(message);
  }
}

package dev.depotrunner.buildkit.transport;

import dev.depotrunner.buildkit.proto.control.ControlGrpc;
import dev.depotrunner.buildkit.proto.control.InfoRequest;
import dev.depotrunner.buildkit.proto.control.InfoResponse;
import dev.depotrunner.buildkit.proto.control.ListWorkersRequest;
import dev.depotrunner.buildkit.proto.types.WorkerRecord;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Reads the BuildKit version over the Control API, which also proves that the builder responds. */
final class ControlProbe {

  private ControlProbe() {}

  /**
   * Returns the BuildKit version, or null when the builder reports none. {@code Control.Info} exists
   * from BuildKit v0.11; older builders return Unimplemented, and then the first worker record that
   * carries a version is used.
   *
   * @throws StatusRuntimeException if the builder cannot be reached or fails the call
   */
  static String readBuildkitVersion(ManagedChannel channel, Duration timeout) {
    var stub = ControlGrpc.newBlockingStub(channel);
    try {
      InfoResponse info =
          stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).info(InfoRequest.getDefaultInstance());
      return info.getBuildkitVersion().getVersion();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
    }

    var workers =
        stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .listWorkers(ListWorkersRequest.getDefaultInstance());
    for (WorkerRecord record : workers.getRecordList()) {
      String version = record.getBuildkitVersion().getVersion();
      if (!version.isEmpty()) {
        return version;
      }
    }
    return null;
  }
}

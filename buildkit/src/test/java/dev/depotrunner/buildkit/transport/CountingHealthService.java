package dev.depotrunner.buildkit.transport;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A health service that reports SERVING and counts the checks, to see that a builder calls back. */
final class CountingHealthService extends HealthGrpc.HealthImplBase {

  private final AtomicInteger checks = new AtomicInteger();
  private final Semaphore checked = new Semaphore(0);

  @Override
  public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> response) {
    checks.incrementAndGet();
    response.onNext(HealthCheckResponse.newBuilder().setStatus(ServingStatus.SERVING).build());
    response.onCompleted();
    checked.release();
  }

  int checks() {
    return checks.get();
  }

  boolean awaitChecks(int count, Duration timeout) throws InterruptedException {
    return checked.tryAcquire(count, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}

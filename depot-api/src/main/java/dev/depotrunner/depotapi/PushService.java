package dev.depotrunner.depotapi;

import dev.depotrunner.depotapi.proto.cli.v1.FinishPushRequest;
import dev.depotrunner.depotapi.proto.cli.v1.FinishPushResponse;
import dev.depotrunner.depotapi.proto.cli.v1.StartPushRequest;
import dev.depotrunner.depotapi.proto.cli.v1.StartPushResponse;
import java.util.Objects;

/**
 * Depot's {@code depot.cli.v1.PushService}: records the start and the outcome of each push of a
 * build to a tag. Both calls take the user's token.
 */
public final class PushService {

  public static final String NAME = "depot.cli.v1.PushService";

  public static final ConnectMethod<StartPushRequest, StartPushResponse> START_PUSH =
      ConnectMethod.of(NAME, "StartPush",
          StartPushRequest.getDefaultInstance(), StartPushResponse.getDefaultInstance());
  public static final ConnectMethod<FinishPushRequest, FinishPushResponse> FINISH_PUSH =
      ConnectMethod.of(NAME, "FinishPush",
          FinishPushRequest.getDefaultInstance(), FinishPushResponse.getDefaultInstance());

  private final ConnectClient client;

  public PushService(ConnectClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  public StartPushResponse startPush(StartPushRequest request, ApiToken token)
      throws DepotApiException, InterruptedException {
    return client.unary(START_PUSH, request, token);
  }

  public FinishPushResponse finishPush(FinishPushRequest request, ApiToken token)
      throws DepotApiException, InterruptedException {
    return client.unary(FINISH_PUSH, request, token);
  }
}

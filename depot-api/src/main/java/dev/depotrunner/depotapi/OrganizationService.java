package dev.depotrunner.depotapi;

import dev.depotrunner.depotapi.proto.core.v1.ListOrganizationResponse;
import dev.depotrunner.depotapi.proto.core.v1.ListOrganizationsRequest;
import java.util.Objects;

/** Depot's {@code depot.core.v1.OrganizationService}: the organizations a token can use. */
public final class OrganizationService {

  public static final String NAME = "depot.core.v1.OrganizationService";

  public static final ConnectMethod<ListOrganizationsRequest, ListOrganizationResponse> LIST_ORGANIZATIONS =
      ConnectMethod.of(NAME, "ListOrganizations",
          ListOrganizationsRequest.getDefaultInstance(), ListOrganizationResponse.getDefaultInstance());

  private final ConnectClient client;

  public OrganizationService(ConnectClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  public ListOrganizationResponse listOrganizations(ApiToken token)
      throws DepotApiException, InterruptedException {
    return client.unary(LIST_ORGANIZATIONS, ListOrganizationsRequest.getDefaultInstance(), token);
  }
}

/**
 * A client of Depot's API: the Connect protocol over HTTP with protobuf messages.
 *
 * <p>{@link dev.depotrunner.depotapi.ConnectClient} makes the calls and turns every failure into a
 * {@link dev.depotrunner.depotapi.DepotApiException}. Each service is a small typed wrapper, such as
 * {@link dev.depotrunner.depotapi.BuildService}, with one {@link dev.depotrunner.depotapi.ConnectMethod}
 * constant per call; adding a service takes its {@code .proto} file and such a wrapper.
 *
 * <pre>{@code
 * ConnectClient client = ConnectClient.fromEnvironment(System.getenv(), UserAgent.of("0.1.0", false));
 * CreateBuildResponse build = new BuildService(client).createBuild(request, ApiToken.of(token));
 * }</pre>
 */
package dev.depotrunner.depotapi;

/**
 * Connections to BuildKit builders: buildkitd on a unix socket or TCP (with mutual TLS), or the
 * BuildKit inside a Docker Engine, reached through the engine API's {@code /grpc} and {@code
 * /session} upgrades.
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * BuilderEndpoint endpoint = BuilderEndpoint.parse("docker://");   // or fromEnvironment()
 * try (BuilderConnection builder = BuilderConnections.open(endpoint);
 *     AttachedSession attached = builder.attach(session)) {
 *   ControlGrpc.newStub(builder.channel()).solve(request.setSession(session.id()).build(), ...);
 * }
 * }</pre>
 *
 * <p>{@link dev.depotrunner.buildkit.transport.BuilderConnections#open} checks that the builder
 * responds and throws {@link dev.depotrunner.buildkit.transport.BuilderConnectionException} with a
 * one-line message otherwise.
 */
package dev.depotrunner.buildkit.transport;

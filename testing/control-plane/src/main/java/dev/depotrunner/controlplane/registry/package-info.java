/**
 * A Docker registry token issuer (the {@code auth.token} realm of a registry), for tests against
 * registries that require Bearer tokens.
 */
package dev.depotrunner.controlplane.registry;

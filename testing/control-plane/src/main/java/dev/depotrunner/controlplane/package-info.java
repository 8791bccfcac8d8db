/** A loopback stand-in for Depot's control plane: its API, a builder endpoint and a registry token issuer, for tests. */
package dev.depotrunner.controlplane;

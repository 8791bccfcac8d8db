/** Copies images between OCI registries: manifests byte for byte, indexes, attestations, blob mounts. */
package dev.depotrunner.registry;

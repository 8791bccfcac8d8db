/** Steps that move a build's image between registries: {@code depot push}. */
package dev.depotrunner.steps.registry;

/** Steps that manage a project's build cache: {@code depot cache reset}. */
package dev.depotrunner.steps.cache;

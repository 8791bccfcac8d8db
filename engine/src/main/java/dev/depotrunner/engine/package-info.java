/** A client of the Docker Engine API for what BuildKit cannot do itself: loading and pushing images. */
package dev.depotrunner.engine;

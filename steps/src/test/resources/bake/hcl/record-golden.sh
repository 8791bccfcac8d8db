#!/usr/bin/env bash
# Records `docker buildx bake --print` output for each case directory here as golden.json, so the
# HclBakeReader tests compare against buildx without running it. Needs DEPOT_RUNNER_BUILDX, as
# `eval "$(scripts/local-env env)"` exports it. A case lists its files in `files` (default
# docker-bake.hcl or docker-bake.json) and its environment in env.properties.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# --print needs no builder; a scratch buildx config keeps the user's builder state out of the run.
buildx_config=$(mktemp -d)
trap 'rm -rf "$buildx_config"' EXIT
for dir in "$here"/*/; do
  case_name=$(basename "$dir")
  cd "$dir"
  args=()
  if [[ -f files ]]; then
    while read -r f; do args+=(-f "$f"); done < files
  elif [[ -f docker-bake.json ]]; then
    args=(-f docker-bake.json)
  else
    args=(-f docker-bake.hcl)
  fi
  environment=()
  if [[ -f env.properties ]]; then
    while IFS= read -r line; do [[ -n $line ]] && environment+=("$line"); done < env.properties
  fi
  if env -i PATH="$PATH" HOME="$HOME" DOCKER_CONFIG="${DOCKER_CONFIG:-}" DOCKER_HOST="${DOCKER_HOST:-}" \
      BUILDX_CONFIG="$buildx_config" "${environment[@]}" \
      "$DEPOT_RUNNER_BUILDX" bake --print "${args[@]}" > golden.json 2> golden.err; then
    rm -f golden.err
    echo "$case_name: recorded"
  else
    echo "$case_name: buildx failed: $(cat golden.err)" >&2
  fi
done

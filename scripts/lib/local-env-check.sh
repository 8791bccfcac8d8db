# shellcheck shell=bash
# Smoke tests for `scripts/local-env check`: builds on both engines, and a
# missing base image that must fail fast. Sourced by scripts/local-env after
# local-env-daemons.sh.

# Seconds within which a build with a missing base image must fail.
readonly MISSING_IMAGE_MAX_SECONDS=30

# Builds context directory $2 on engine $1 with extra build arguments $3...
# and writes the plain progress output to $2/build.log. Docker 28 builds
# through buildx, and Docker 20.10 through its own CLI with DOCKER_BUILDKIT=1.
build_on() {
  local name=$1 context=$2
  shift 2
  if [[ $name == docker28 ]]; then
    docker_on docker28 buildx build --progress=plain "$@" "$context" >"$context/build.log" 2>&1
  else
    DOCKER_BUILDKIT=1 DOCKER_HOST=$(daemon_address docker20) DOCKER_CONFIG=$DOCKER_CONFIG_DIR \
      "$DOCKER20_TREE/usr/bin/docker" build --progress=plain "$@" "$context" >"$context/build.log" 2>&1
  fi
}

# Fails with the build log if the log of context $1 lacks line pattern $2.
expect_in_log() {
  local context=$1 pattern=$2
  if ! grep -qE "$pattern" "$context/build.log"; then
    cat "$context/build.log" >&2
    die "build output in $context lacks: $pattern"
  fi
}

check_run_steps() {
  local name=$1 work=$2
  local context=$work/$name-run
  mkdir -p "$context"
  cat >"$context/Dockerfile" <<EOF
FROM $BASE_IMAGE
RUN echo "hello from \$(uname -s)"
RUN cat /etc/hosts
EOF
  # Docker 20.10's built-in Dockerfile frontend rejects `RUN --network`, so
  # only Docker 28 checks the none and host network modes.
  local extra_args=() networks="default network"
  if [[ $name == docker28 ]]; then
    printf 'RUN --network=none echo network-none\nRUN --network=host echo network-host\n' >>"$context/Dockerfile"
    extra_args=(--allow network.host)
    networks="default, none and host networks"
  fi

  if ! build_on "$name" "$context" --no-cache "${extra_args[@]}" -t depot-runner-env-check:latest; then
    cat "$context/build.log" >&2
    die "RUN steps failed on $name"
  fi
  expect_in_log "$context" 'hello from Linux'
  expect_in_log "$context" '127\.0\.0\.1[[:space:]]+localhost'
  if [[ $name == docker28 ]]; then
    expect_in_log "$context" 'network-none'
    expect_in_log "$context" 'network-host'
  fi
  docker_on "$name" image rm -f depot-runner-env-check:latest >/dev/null 2>&1 || true
  log "check: $name runs RUN steps with the $networks"
}

# Checks that a build whose base image exists nowhere fails within
# MISSING_IMAGE_MAX_SECONDS, for image reference $3.
check_missing_image() {
  local name=$1 work=$2 image=$3
  local context
  context=$work/$name-missing-$(echo "$image" | tr -c 'a-z0-9\n' '-')
  mkdir -p "$context"
  printf 'FROM %s\nRUN echo unreachable\n' "$image" >"$context/Dockerfile"

  local start=$SECONDS
  if build_on "$name" "$context" --no-cache; then
    die "build FROM $image unexpectedly succeeded on $name"
  fi
  local elapsed=$((SECONDS - start))
  if ((elapsed > MISSING_IMAGE_MAX_SECONDS)); then
    cat "$context/build.log" >&2
    die "build FROM $image on $name took ${elapsed} s to fail, more than ${MISSING_IMAGE_MAX_SECONDS} s"
  fi
  log "check: $name FROM $image failed in ${elapsed} s: $(grep -m1 -E 'ERROR|error' "$context/build.log" | cut -c1-200)"
}

check_build_checks() {
  local work=$1
  local context=$work/docker28-lint
  mkdir -p "$context"
  # Lower-case `from` with upper-case `AS` triggers the FromAsCasing and
  # ConsistentInstructionCasing checks, and the shell-form CMD triggers
  # JSONArgsRecommended.
  printf 'from %s AS base\nCMD echo hi\n' "$BASE_IMAGE" >"$context/Dockerfile"
  build_on docker28 "$context" --check || true
  expect_in_log "$context" 'FromAsCasing'
  expect_in_log "$context" 'JSONArgsRecommended'
  log "check: docker28 reports build check warnings"
}

check_engine_builds() {
  local work
  work=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$work'" RETURN

  local name
  for name in docker28 docker20; do
    check_run_steps "$name" "$work"
    check_missing_image "$name" "$work" "$REGISTRY_ADDR/base/does-not-exist:latest"
    check_missing_image "$name" "$work" some-missing-image
  done
  check_build_checks "$work"
}

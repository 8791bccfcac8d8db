#!/usr/bin/env bash
# Runs `depot build` (or `depot bake` when INPUT_BAKE is true) for the composite action in action.yml.
#
# The action maps each input to an INPUT_<NAME> variable (upper case, '-' as '_'). This script turns
# them into flags the way depot/build-push-action and depot/bake-action do, then runs bin/depot. The
# runner itself masks secrets, finds the Depot credentials and writes the step's outputs and summary.
#
# Lists: one item a line; for the inputs build-push-action splits on commas too (tags, platforms,
# allow, add-hosts, save-tags, files, targets), commas also separate items. A line wrapped in double
# quotes keeps its commas and loses the quotes.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
depot=${DEPOT_ACTION_BINARY:-"$root/bin/depot"}

fail() {
  echo "::error title=depot-runner action::$1"
  exit 1
}

# Prints the items of list input $1, one a line; with "comma" as $2, commas separate items too.
list_input() {
  local value="${!1:-}" line item
  [[ -n "${value//[[:space:]]/}" ]] || return 0
  while IFS= read -r line || [[ -n "$line" ]]; do
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    [[ -n "$line" ]] || continue
    if [[ "$line" == \"*\" && ${#line} -ge 2 ]]; then
      printf '%s\n' "${line:1:${#line}-2}"
    elif [[ "${2:-}" == comma ]]; then
      IFS=',' read -r -a items <<<"$line"
      for item in "${items[@]}"; do
        item="${item#"${item%%[![:space:]]*}"}"
        item="${item%"${item##*[![:space:]]}"}"
        [[ -n "$item" ]] && printf '%s\n' "$item"
      done
    else
      printf '%s\n' "$line"
    fi
  done <<<"$value"
}

# Fails the step unless every boolean input is empty or one of the YAML 1.2 core forms that
# @actions/core accepts. It runs first, in this shell, so that its error is not lost in a subshell.
validate_bools() {
  local name value
  for name in INPUT_BAKE INPUT_CI_LABELS INPUT_LINT INPUT_LOAD INPUT_NO_CACHE INPUT_PULL INPUT_PUSH INPUT_SAVE; do
    value="${!name:-}"
    case "$value" in
      "" | true | True | TRUE | false | False | FALSE) ;;
      *) fail "Input $(echo "${name#INPUT_}" | tr 'A-Z_' 'a-z-') must be true or false, got \"$value\"" ;;
    esac
  done
}

# Prints true or false for boolean input $1, which validate_bools has checked.
bool_input() {
  case "${!1:-}" in
    true | True | TRUE) echo true ;;
    *) echo false ;;
  esac
}

args=()
# Adds "$1 ITEM" for each item of list input $2 (split mode $3).
add_list() {
  local item
  while IFS= read -r item; do
    args+=("$1" "$item")
  done < <(list_input "$2" "${3:-}")
}
add_value() {
  [[ -n "${!2:-}" ]] && args+=("$1" "${!2}")
  return 0
}
add_bool() {
  [[ "$(bool_input "$2")" == true ]] && args+=("$1")
  return 0
}

builder_id="${GITHUB_SERVER_URL:-https://github.com}/${GITHUB_REPOSITORY:-}/actions/runs/${GITHUB_RUN_ID:-}"

# Prints the --provenance value: the input with the workflow run as builder-id, or, without the input
# and unless the image is loaded into Docker, buildx's default for the repository's visibility.
provenance() {
  local input="${INPUT_PROVENANCE:-}"
  if [[ -n "$input" ]]; then
    case "$input" in
      true | True | TRUE) echo "builder-id=$builder_id" ;;
      false | False | FALSE) echo false ;;
      *builder-id=*) echo "$input" ;;
      *) echo "$input,builder-id=$builder_id" ;;
    esac
    return
  fi
  if [[ "$(bool_input INPUT_LOAD)" == true ]] || list_input INPUT_OUTPUTS | grep -q 'type=docker'; then
    return
  fi
  if [[ "${DEPOT_ACTION_REPOSITORY_PRIVATE:-false}" == true ]]; then
    echo "mode=min,inline-only=true,builder-id=$builder_id"
  else
    echo "mode=max,builder-id=$builder_id"
  fi
}

# Prints the build context: the input with {{defaultContext}} replaced, or the repository at this
# commit as a Git context, as build-push-action does.
build_context() {
  local ref="${GITHUB_REF:-}"
  if [[ -n "${GITHUB_SHA:-}" && "$ref" != refs/pull/* ]]; then
    ref="$GITHUB_SHA"
  fi
  local default="${GITHUB_SERVER_URL:-https://github.com}/${GITHUB_REPOSITORY:-}.git#$ref"
  local input="${INPUT_CONTEXT:-}"
  if [[ -z "$input" ]]; then
    echo "$default"
  else
    echo "${input//\{\{defaultContext\}\}/$default}"
  fi
}

# Writes each KEY=VALUE of the secrets input to a private file and adds it as --secret id=KEY,src=FILE.
add_secrets() {
  local entry key folder="${RUNNER_TEMP:-${TMPDIR:-/tmp}}" file
  while IFS= read -r entry; do
    [[ "$entry" == *=* ]] || fail "Secret \"${entry%%=*}\" must be KEY=VALUE"
    key="${entry%%=*}"
    file=$(umask 077 && mktemp "$folder/depot-secret.XXXXXXXX")
    printf '%s' "${entry#*=}" >"$file"
    args+=(--secret "id=$key,src=$file")
  done < <(list_input INPUT_SECRETS)
  while IFS= read -r entry; do
    [[ "$entry" == *=* ]] || fail "Secret file \"$entry\" must be KEY=PATH"
    args+=(--secret "id=${entry%%=*},src=${entry#*=}")
  done < <(list_input INPUT_SECRET_FILES)
}

add_depot_flags() {
  add_value --project INPUT_PROJECT
  add_value --build-platform INPUT_BUILD_PLATFORM
  add_bool --lint INPUT_LINT
  add_value --lint-fail-on INPUT_LINT_FAIL_ON
  add_bool --save INPUT_SAVE
  add_value --save-tag INPUT_SAVE_TAG
  add_list --save-tag INPUT_SAVE_TAGS comma
  add_value --sbom-dir INPUT_SBOM_DIR
}

build_arguments() {
  args=(build)
  add_list --add-host INPUT_ADD_HOSTS comma
  local allow
  allow=$(list_input INPUT_ALLOW comma | paste -sd, -)
  [[ -n "$allow" ]] && args+=(--allow "$allow")
  add_list --annotation INPUT_ANNOTATIONS
  add_list --attest INPUT_ATTESTS
  add_list --build-arg INPUT_BUILD_ARGS
  add_list --build-context INPUT_BUILD_CONTEXTS
  add_list --cache-from INPUT_CACHE_FROM
  add_list --cache-to INPUT_CACHE_TO
  add_value --cgroup-parent INPUT_CGROUP_PARENT
  add_value --file INPUT_FILE
  add_list --label INPUT_LABELS
  add_bool --load INPUT_LOAD
  add_value --network INPUT_NETWORK
  add_bool --no-cache INPUT_NO_CACHE
  add_list --no-cache-filter INPUT_NO_CACHE_FILTERS
  add_list --output INPUT_OUTPUTS
  local platforms
  platforms=$(list_input INPUT_PLATFORMS comma | paste -sd, -)
  [[ -n "$platforms" ]] && args+=(--platform "$platforms")
  add_bool --pull INPUT_PULL
  add_bool --push INPUT_PUSH
  add_value --sbom INPUT_SBOM
  add_value --shm-size INPUT_SHM_SIZE
  add_list --ssh INPUT_SSH
  add_list --tag INPUT_TAGS comma
  add_value --target INPUT_TARGET
  add_list --ulimit INPUT_ULIMIT
  add_bool --ci-labels INPUT_CI_LABELS
  add_secrets

  local context
  context=$(build_context)
  if [[ -n "${INPUT_GITHUB_TOKEN:-}" && "$context" == "${GITHUB_SERVER_URL:-https://github.com}/"* ]] \
      && ! list_input INPUT_SECRETS | grep -q '^GIT_AUTH_TOKEN='; then
    export DEPOT_ACTION_GIT_AUTH_TOKEN="$INPUT_GITHUB_TOKEN"
    args+=(--secret "id=GIT_AUTH_TOKEN,env=DEPOT_ACTION_GIT_AUTH_TOKEN")
  fi

  local provenance_value
  provenance_value=$(provenance)
  [[ -n "$provenance_value" ]] && args+=(--provenance "$provenance_value")
  add_depot_flags
  args+=("$context")
}

bake_arguments() {
  args=(bake)
  add_list --file INPUT_FILES comma
  add_list --set INPUT_SET
  add_bool --load INPUT_LOAD
  add_bool --push INPUT_PUSH
  add_bool --no-cache INPUT_NO_CACHE
  add_bool --pull INPUT_PULL
  add_bool --ci-labels INPUT_CI_LABELS
  add_value --provenance INPUT_PROVENANCE
  add_value --sbom INPUT_SBOM
  add_depot_flags
  local target
  while IFS= read -r target; do
    args+=("$target")
  done < <(list_input INPUT_TARGETS comma)
}

validate_bools
if [[ "$(bool_input INPUT_BAKE)" == true ]]; then
  bake_arguments
  cd "${INPUT_WORKDIR:-.}"
else
  build_arguments
fi

if [[ -n "${INPUT_TOKEN:-}" ]]; then
  export DEPOT_TOKEN="$INPUT_TOKEN"
fi

echo "[command]depot --ci=github ${args[*]}"
exec "$depot" --ci=github "${args[@]}"

#!/bin/sh
# Records docker buildx bake --print for every case of the corpus as the case's expected.json.
# Each case folder holds the bake files, an optional "command" file (one argument per line) and an
# optional "environment" file (KEY=VALUE lines). buildx runs with only those variables, HOME set to
# /corpus-home, and the local engine from scripts/local-env, so BakeCorpusTest can give depot bake the
# same environment. A case that names agent.key gets a throwaway SSH key while buildx runs.
# Usage: eval "$(scripts/local-env env)"; steps/src/test/resources/bake/corpus/record.sh [CASE...]
set -eu
corpus=$(cd "$(dirname "$0")" && pwd)
: "${DEPOT_RUNNER_BUILDX:?run eval \"\$(scripts/local-env env)\" first}"
cases=${*:-$(cd "$corpus" && ls -d */ | tr -d /)}
for name in $cases; do
  dir=$corpus/$name
  set --
  if [ -f "$dir/command" ]; then
    while IFS= read -r argument; do set -- "$@" "$argument"; done < "$dir/command"
  fi
  variables=""
  if [ -f "$dir/environment" ]; then variables=$(cat "$dir/environment"); fi
  (
    cd "$dir"
    # buildx reads SSH keys while it resolves, so a case naming agent.key gets a throwaway key for the run.
    if grep -qs agent.key ./*.yaml ./*.yml ./*.hcl ./*.json command 2>/dev/null; then
      ssh-keygen -q -t ed25519 -N '' -f agent.key
    fi
    # shellcheck disable=SC2086
    env -i PATH="$PATH" HOME=/corpus-home DOCKER_HOST="$DOCKER_HOST" DOCKER_CONFIG="$DOCKER_CONFIG" \
      BUILDX_NO_DEFAULT_ATTESTATIONS=1 $variables "$DEPOT_RUNNER_BUILDX" bake --print "$@" > expected.json 2> record.err \
      || { echo "$name: buildx failed:"; cat record.err; }
    rm -f record.err agent.key agent.key.pub
  )
  echo "recorded $name"
done

# Functions of bench/run: preparing the engine and the inputs, timing one build, and the summary table.
# Sourced by bench/run, which sets the option variables (runs, warmup, tool_list, cache_dir, ...).

# A change to GenerateContext.java must change this marker, so that trees from the old generator are
# regenerated.
context_marker="GenerateContext v1 files=$large_file_count"

# The file that large-onefile rewrites before every run: the generator's middle file.
onefile_name=$(printf 'f%06d.dat' $((large_file_count / 2)))

depot_memory_limit_kb=$((256 * 1024))

failed_builds=0

prepare_environment() {
  if [[ -z "${DOCKER_HOST:-}" ]]; then
    [[ -x "$root/scripts/local-env" ]] \
      || die "DOCKER_HOST is not set and $root/scripts/local-env is missing; set DOCKER_HOST to the engine"
    eval "$("$root/scripts/local-env" env)"
  fi
  docker_cli=${DEPOT_RUNNER_DOCKER_CLI:-docker}
  base_image=${DEPOT_RUNNER_BASE_IMAGE:-127.0.0.1:5000/base/busybox:latest}

  # depot must take the local engine from DOCKER_HOST, never a Depot project's remote builders.
  unset DEPOT_TOKEN DEPOT_PROJECT_ID DEPOT_API_URL

  engine_version=$("$docker_cli" version --format '{{.Server.Version}}' 2>/dev/null) \
    || die "the Docker Engine at ${DOCKER_HOST} is not reachable; start it with scripts/local-env up"
  buildx_version=$("$docker_cli" buildx version 2>/dev/null) \
    || die "'$docker_cli buildx' failed; set DEPOT_RUNNER_DOCKER_CLI and DOCKER_CONFIG (scripts/local-env env)"
  buildx_build=("$docker_cli" buildx build --progress=plain --output type=cacheonly)

  if has_tool depot; then
    prepare_depot
  fi
}

prepare_depot() {
  [[ -x "$depot_bin" ]] || die "depot launcher '$depot_bin' not found or not executable; pass --depot PATH"

  # The first call packages the CLI when the jar is missing, so it stays out of the timed runs.
  depot_version=$("$depot_bin" --version 2>&1 | tail -n 1) \
    || die "'$depot_bin --version' failed: $depot_version"

  # Both tools must do the same work: keep the result in the build cache and export nothing. Without
  # an output, either tool exports an image into the engine. check_no_export catches a depot that
  # would take cacheonly for an exporter.
  depot_build=("$depot_bin" build --progress=plain --output type=cacheonly)
}

# Warns when a build exported anything, since the other tool then did less work.
check_no_export() {
  local tool=$1 log=$2
  if grep -q -E '^#[0-9]+ exporting to ' "$log"; then
    echo "   WARNING: $tool exported a result although it was given --output type=cacheonly. Log: $log"
  fi
}

has_tool() {
  local wanted=$1 tool
  for tool in "${tool_list[@]}"; do
    [[ "$tool" == "$wanted" ]] && return 0
  done
  return 1
}

has_large_scenario() {
  local scenario
  for scenario in "${scenario_list[@]}"; do
    [[ "$scenario" == large-* ]] && return 0
  done
  return 1
}

# Waits until no other bench/run uses the cache folder: two runs would rewrite and prune each other's
# inputs and compete for the cores.
lock_cache_dir() {
  mkdir -p "$cache_dir"
  exec {lock_fd}>"$cache_dir/.lock"
  if ! flock -n "$lock_fd"; then
    echo "Waiting for another bench/run that uses $cache_dir..." >&2
    flock "$lock_fd"
  fi
}

prepare_inputs() {
  mkdir -p "$cache_dir/dockerfiles" "$cache_dir/small"
  small_context="$cache_dir/small"
  large_context="$cache_dir/context-$large_file_count"
  run_dir="$cache_dir/runs/$(date -u +%Y%m%dT%H%M%SZ)"
  results="$run_dir/results.tsv"
  mkdir -p "$run_dir"
  : >"$results"

  # Rewriting an unchanged file would give it a new mtime and make the first cached run resend it.
  if [[ ! -f "$small_context/greeting.txt" ]]; then
    echo "hello from the depot-runner benchmark" >"$small_context/greeting.txt"
  fi
  small_dockerfile="$cache_dir/dockerfiles/small.Dockerfile"
  cat >"$small_dockerfile" <<EOF
FROM $base_image
COPY greeting.txt /greeting.txt
RUN wc -c /greeting.txt
EOF

  # A bind mount makes the build read the whole context without copying 100 MB into a layer, so the
  # builds differ only in what the clients do.
  large_dockerfile="$cache_dir/dockerfiles/large.Dockerfile"
  cat >"$large_dockerfile" <<EOF
FROM $base_image
RUN --mount=type=bind,target=/context find /context -type f | wc -l
EOF

  if has_large_scenario; then
    generate_large_context
    onefile_path=$(find "$large_context" -name "$onefile_name" -print -quit)
    [[ -n "$onefile_path" ]] || die "'$onefile_name' not found in $large_context; remove the folder to regenerate it"
  fi
}

generate_large_context() {
  local marker="$large_context.done"
  if [[ -f "$marker" && "$(cat "$marker")" == "$context_marker" && -d "$large_context" ]]; then
    return
  fi

  echo "Generating the $large_file_count-file context in $large_context (once, about a minute)..." >&2
  rm -rf "$large_context" "$marker"
  java "$root/bench/GenerateContext.java" "$large_context" "$large_file_count" >&2
  echo "$context_marker" >"$marker"
}

print_header() {
  local cpu
  cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)

  echo "depot-runner benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine:  $(nproc) cores, ${cpu:-unknown CPU}, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "engine:   Docker Engine $engine_version at $DOCKER_HOST"
  echo "buildx:   $buildx_version"
  if has_tool depot; then
    echo "depot:    $depot_version ($(java -version 2>&1 | head -n 1))"
  fi
  if has_large_scenario; then
    echo "context:  $(find "$large_context" -type f -printf '%s\n' | awk '{n++; sum += $1} END {printf "%d files, %.1f MB", n, sum / 1e6}') in $large_context"
  fi
  echo "runs:     $runs timed, $warmup warm-up per tool and scenario; large-first prunes: $prune_mode"
  echo "logs:     $run_dir"
  print_load
  echo
}

# Prints the load average, because other work on the machine skews every number.
print_load() {
  local load
  read -r load _ </proc/loadavg
  echo "load:     $load (1-minute average)"
  if awk -v load="$load" -v cores="$(nproc)" 'BEGIN {exit !(load > cores / 2)}'; then
    echo "WARNING:  other processes keep the machine busy; the times are not comparable to a quiet run"
  fi
}

run_scenario() {
  local scenario=$1 round tool
  local -a active=()

  echo "== $scenario"

  # Scenarios that time cached builds need one build first, even with --warmup 0. A first send is
  # cold by definition, and warming it up would cost as much as a timed run.
  local warm_builds=$warmup
  if [[ "$scenario" == large-first ]]; then
    warm_builds=0
  elif [[ "$scenario" != cli-start && $warm_builds -lt 1 ]]; then
    warm_builds=1
  fi

  for tool in "${tool_list[@]}"; do
    if warm_up "$scenario" "$tool" "$warm_builds"; then
      active+=("$tool")
    fi
  done

  for ((round = 1; round <= runs; round++)); do
    for tool in $(round_order "$round" "${active[@]}"); do
      time_build "$scenario" "$tool" "$round"
    done
  done

  print_scenario_summary "$scenario"
  echo
}

# Alternates the order of the tools from round to round (A B, B A, ...), so that neither always
# runs right after the other's changes to the page cache or the engine.
round_order() {
  local round=$1
  shift
  if ((round % 2 == 1)); then
    echo "$@"
  else
    local -a reversed=()
    local tool
    for tool in "$@"; do
      reversed=("$tool" "${reversed[@]}")
    done
    echo "${reversed[@]}"
  fi
}

warm_up() {
  local scenario=$1 tool=$2 count=$3 i log
  for ((i = 1; i <= count; i++)); do
    log="$run_dir/$scenario-$tool-warmup$i.log"
    if ! prepare_run "$scenario" >"$log" 2>&1 || ! run_tool "$scenario" "$tool" "$log" /dev/null; then
      echo "   $tool warm-up failed; skipping $tool in $scenario. Log: $log"
      tail -n 5 "$log" | sed 's/^/     | /'
      failed_builds=$((failed_builds + 1))
      return 1
    fi
  done
}

prepare_run() {
  case "$1" in
    large-first) forget_contexts ;;
    large-onefile) rewrite_one_file ;;
  esac
}

forget_contexts() {
  if [[ "$prune_mode" == all ]]; then
    "$docker_cli" builder prune -af >/dev/null
  else
    "$docker_cli" builder prune -af --filter type=source.local >/dev/null
  fi
}

rewrite_one_file() {
  touch_count=$((${touch_count:-0} + 1))
  printf 'changed %d at %s\n' "$touch_count" "$EPOCHREALTIME" >"$onefile_path"
}

# Runs one build with the scenario's inputs. Its output goes to LOG, and "max RSS in KB, user CPU
# seconds, system CPU seconds" go to TIME_FILE.
run_tool() {
  local scenario=$1 tool=$2 log=$3 time_file=$4
  local -a command

  case "$scenario:$tool" in
    cli-start:depot) command=("$depot_bin" --version) ;;
    cli-start:buildx) command=("$docker_cli" buildx version) ;;
    small-*:depot) command=("${depot_build[@]}" -f "$small_dockerfile" "$small_context") ;;
    small-*:buildx) command=("${buildx_build[@]}" -f "$small_dockerfile" "$small_context") ;;
    large-*:depot) command=("${depot_build[@]}" -f "$large_dockerfile" "$large_context") ;;
    large-*:buildx) command=("${buildx_build[@]}" -f "$large_dockerfile" "$large_context") ;;
  esac

  # timeout kills the whole process group, so a hung client cannot stall the benchmark.
  timeout --kill-after=10 "$build_timeout" \
    /usr/bin/time -f '%M %U %S' -o "$time_file" "${command[@]}" >"$log" 2>&1
}

time_build() {
  local scenario=$1 tool=$2 round=$3
  local log="$run_dir/$scenario-$tool-$round.log"
  local time_file="$run_dir/$scenario-$tool-$round.time"
  local start end status=0 seconds rss_kb cpu_seconds sent

  # Pruning or rewriting a file stays out of the timed span.
  if ! prepare_run "$scenario" >"$log" 2>&1; then
    status=125
    echo "bench/run: preparing the run failed" >>"$log"
  fi

  start=$EPOCHREALTIME
  if ((status == 0)); then
    run_tool "$scenario" "$tool" "$log" "$time_file" || status=$?
  fi
  end=$EPOCHREALTIME

  seconds=$(awk -v start="$start" -v end="$end" 'BEGIN {printf "%.3f", end - start}')
  read -r rss_kb cpu_seconds < <(read_time_file "$time_file")
  sent=$(context_bytes_sent "$log")
  printf '%s\t%s\t%d\t%s\t%s\t%s\t%d\t%s\n' \
    "$scenario" "$tool" "$round" "$seconds" "$rss_kb" "$sent" "$status" "$cpu_seconds" >>"$results"

  if ((status != 0)); then
    failed_builds=$((failed_builds + 1))
    printf '   %-6s run %d/%d  FAILED (exit %d) after %s s. Log: %s\n' "$tool" "$round" "$runs" "$status" "$seconds" "$log"
    tail -n 5 "$log" | sed 's/^/     | /'
    return
  fi
  check_no_export "$tool" "$log"
  printf '   %-6s run %d/%d  %7.3f s  %6.2f s CPU  %6s max RSS  context sent %s\n' \
    "$tool" "$round" "$runs" "$seconds" "$cpu_seconds" "$(format_kb "$rss_kb")" "$(format_bytes "$sent")"
}

# Prints "max_rss_kb cpu_seconds" from /usr/bin/time's report, or "0 0" when the client was killed
# before time wrote it. The report's last line holds the numbers, after any "Command exited" line.
read_time_file() {
  awk 'END {
    if (NF == 3 && $1 ~ /^[0-9]+$/) printf "%d %.2f\n", $1, $2 + $3
    else print "0 0"
  }' "$1" 2>/dev/null || echo "0 0"
}

# Prints the bytes of the last "transferring context: 105.78MB" progress line, the engine's own
# count of what the client sent for the build context, or -1 when the log has none.
context_bytes_sent() {
  awk '
    match($0, /transferring context: [0-9.]+[kMG]?B/) {
      value = substr($0, RSTART + 22, RLENGTH - 22)
      number = value + 0
      unit = value
      sub(/^[0-9.]+/, "", unit)
      factor = (unit == "kB") ? 1e3 : (unit == "MB") ? 1e6 : (unit == "GB") ? 1e9 : 1
      last = sprintf("%.0f", number * factor)
    }
    END { print (last == "" ? -1 : last) }
  ' "$1"
}

format_kb() {
  awk -v kb="$1" 'BEGIN {printf "%.0f MiB", kb / 1024}'
}

format_bytes() {
  awk -v bytes="$1" 'BEGIN {
    if (bytes < 0) print "n/a"
    else if (bytes >= 1e6) printf "%.1f MB", bytes / 1e6
    else if (bytes >= 1e3) printf "%.1f kB", bytes / 1e3
    else printf "%d B", bytes
  }'
}

# Prints "median_seconds max_rss_kb median_sent_bytes successful_runs median_cpu_seconds" for one tool
# in one scenario.
tool_stats() {
  local scenario=$1 tool=$2
  awk -F '\t' -v scenario="$scenario" -v tool="$tool" '
    $1 == scenario && $2 == tool && $7 == 0 {
      n++
      seconds[n] = $4
      sent[n] = $6
      cpu[n] = $8
      if ($5 > rss) rss = $5
    }
    function median(values, count,    i, j, swap) {
      for (i = 2; i <= count; i++)
        for (j = i; j > 1 && values[j - 1] + 0 > values[j] + 0; j--) {
          swap = values[j]; values[j] = values[j - 1]; values[j - 1] = swap
        }
      if (count % 2 == 1) return values[(count + 1) / 2]
      return (values[count / 2] + values[count / 2 + 1]) / 2
    }
    END {
      if (n == 0) { print "- - - 0 -"; exit }
      printf "%.3f %d %.0f %d %.2f\n", median(seconds, n), rss, median(sent, n), n, median(cpu, n)
    }
  ' "$results"
}

print_scenario_summary() {
  local scenario=$1 tool median rss sent count cpu
  for tool in "${tool_list[@]}"; do
    read -r median rss sent count cpu < <(tool_stats "$scenario" "$tool")
    if ((count == 0)); then
      printf '   %-6s no successful run\n' "$tool"
    else
      printf '   %-6s median %7.3f s, %.2f s CPU over %d runs, peak %s\n' \
        "$tool" "$median" "$cpu" "$count" "$(format_kb "$rss")"
    fi
  done
}

print_table() {
  local scenario
  echo "| scenario | runs | depot median | buildx median | depot/buildx | client CPU (depot / buildx) | depot max RSS | buildx max RSS | context sent (depot / buildx) | targets |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  for scenario in "${scenario_list[@]}"; do
    print_table_row "$scenario"
  done
  echo
  echo "Targets: depot at least as fast as buildx in every scenario; depot's max RSS under 256 MiB on the"
  echo "$large_file_count-file context. Runs counts the successful timed runs (depot / buildx). Times and"
  echo "client CPU (user + system) are medians over them, max RSS is the largest."
}

print_table_row() {
  local scenario=$1
  local depot_median depot_rss depot_sent depot_count depot_cpu
  local buildx_median buildx_rss buildx_sent buildx_count buildx_cpu
  local ratio=- targets=()

  read -r depot_median depot_rss depot_sent depot_count depot_cpu < <(tool_stats "$scenario" depot)
  read -r buildx_median buildx_rss buildx_sent buildx_count buildx_cpu < <(tool_stats "$scenario" buildx)

  if ((depot_count > 0 && buildx_count > 0)); then
    ratio=$(awk -v a="$depot_median" -v b="$buildx_median" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')
    if awk -v a="$depot_median" -v b="$buildx_median" 'BEGIN {exit !(a <= b)}'; then
      targets+=("speed ok")
    else
      targets+=("speed MISSED")
    fi
  fi
  if has_tool depot && ((depot_count == 0)); then
    targets+=("depot FAILED")
  fi
  if has_tool buildx && ((buildx_count == 0)); then
    targets+=("buildx FAILED")
  fi
  if [[ "$scenario" == large-* ]] && ((depot_count > 0)); then
    if ((depot_rss < depot_memory_limit_kb)); then
      targets+=("memory ok")
    else
      targets+=("memory MISSED")
    fi
  fi

  local joined
  joined=$(IFS=,; echo "${targets[*]:-}")
  printf '| %s | %s / %s | %s | %s | %s | %s / %s | %s | %s | %s / %s | %s |\n' \
    "$scenario" \
    "$depot_count" "$buildx_count" \
    "$(format_seconds "$depot_median" "$depot_count")" \
    "$(format_seconds "$buildx_median" "$buildx_count")" \
    "$ratio" \
    "$(format_seconds "$depot_cpu" "$depot_count")" \
    "$(format_seconds "$buildx_cpu" "$buildx_count")" \
    "$(format_rss "$depot_rss" "$depot_count")" \
    "$(format_rss "$buildx_rss" "$buildx_count")" \
    "$(format_sent "$depot_sent" "$depot_count")" \
    "$(format_sent "$buildx_sent" "$buildx_count")" \
    "${joined//,/, }"
}

format_seconds() {
  if (($2 == 0)); then echo -; else printf '%.3f s' "$1"; fi
}

format_rss() {
  if (($2 == 0)); then echo -; else format_kb "$1"; fi
}

format_sent() {
  if (($2 == 0)); then echo -; else format_bytes "$1"; fi
}

# Prints the table of the run whose results.tsv is in DIR, with the scenarios and tools
# that the file contains.
summarize() {
  results="$1/results.tsv"
  [[ -f "$results" ]] || die "no results.tsv in '$1'; pass the logs folder that bench/run printed"

  mapfile -t scenario_list < <(awk -F '\t' '!seen[$1]++ {print $1}' "$results")
  mapfile -t tool_list < <(awk -F '\t' '!seen[$2]++ {print $2}' "$results")

  print_table
}

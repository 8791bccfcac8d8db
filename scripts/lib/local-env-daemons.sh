# shellcheck shell=bash
# Starts, probes and stops the daemons of scripts/local-env: containerd, the
# registry and the two Docker engines. Sourced by scripts/local-env, which
# defines the paths, REGISTRY_ADDR, BASE_IMAGE, log and die.

# The daemons send registry traffic through an HTTP proxy on a loopback port
# where nothing listens, so a pull from any registry but the local one fails
# at once with "connection refused" instead of waiting on the network. Go's
# proxy support never proxies loopback addresses, so 127.0.0.1:5000 and
# localhost:5000 are reached directly (net/http ProxyFromEnvironment).
readonly UNREACHABLE_PROXY=http://127.0.0.1:9
readonly PROXY_ENV=(
  "HTTP_PROXY=$UNREACHABLE_PROXY"
  "HTTPS_PROXY=$UNREACHABLE_PROXY"
  "NO_PROXY=localhost,127.0.0.1,::1"
  "http_proxy=$UNREACHABLE_PROXY"
  "https_proxy=$UNREACHABLE_PROXY"
  "no_proxy=localhost,127.0.0.1,::1"
)

# Seconds that `down` waits for a daemon to exit after SIGTERM before it
# sends SIGKILL.
readonly STOP_TIMEOUT=30

daemon_binary() {
  case $1 in
    containerd) echo /usr/bin/containerd ;;
    registry | auth-registry | token-registry) echo /usr/bin/docker-registry ;;
    docker28) echo "$DOCKER28_TREE/usr/sbin/dockerd" ;;
    docker20) echo "$DOCKER20_TREE/usr/sbin/dockerd" ;;
    *) die "unknown daemon: $1" ;;
  esac
}

daemon_address() {
  case $1 in
    containerd) echo "unix://$CONTAINERD_SOCK" ;;
    registry) echo "http://$REGISTRY_ADDR" ;;
    auth-registry) echo "http://$AUTH_REGISTRY_ADDR" ;;
    token-registry) echo "http://$TOKEN_REGISTRY_ADDR" ;;
    docker28 | docker20) echo "unix://$RUN_DIR/$1.sock" ;;
    *) die "unknown daemon: $1" ;;
  esac
}

daemon_pidfile() {
  echo "$RUN_DIR/$1.pid"
}

daemon_logfile() {
  echo "$STATE_DIR/log/$1.log"
}

# Prints the pid of daemon $1 and succeeds if its pidfile names a live
# process of the expected binary. A pid that the kernel has since reused for
# another program does not count.
daemon_pid() {
  local pidfile pid exe
  pidfile=$(daemon_pidfile "$1")
  [[ -r $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  # The kernel appends " (deleted)" when the binary was replaced on disk.
  [[ ${exe% (deleted)} == "$(daemon_binary "$1")" ]] || return 1
  echo "$pid"
}

# Starts daemon $1 as its own session with command $2..., logging to its log
# file (the previous log is kept as .1). Prints the pid.
launch_daemon() {
  local name=$1
  shift
  local logfile
  logfile=$(daemon_logfile "$name")
  [[ -f $logfile ]] && mv -f "$logfile" "$logfile.1"
  # setsid keeps the daemon out of the caller's process group, so it
  # survives the end of the calling shell or CI step. Closing fd 9 keeps
  # the daemon from holding the lock that take_lock set.
  (cd / && exec setsid "$@" >"$logfile" 2>&1 </dev/null 9>&-) &
  echo "$!"
}

# Waits until probe function $3 succeeds for daemon $1 started as pid $2.
# Fails, stopping the daemon and printing the end of its log, if the daemon
# exits or READY_TIMEOUT seconds pass.
wait_until_ready() {
  local name=$1 pid=$2 probe=$3
  local deadline=$((SECONDS + READY_TIMEOUT))
  local logfile
  logfile=$(daemon_logfile "$name")

  until "$probe" "$name"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$name exited during startup; last lines of $logfile:"
      tail -n 30 "$logfile" >&2 || true
      die "$name failed to start"
    fi
    if ((SECONDS >= deadline)); then
      log "$name was not ready after ${READY_TIMEOUT} s; last lines of $logfile:"
      tail -n 30 "$logfile" >&2 || true
      kill -TERM "$pid" 2>/dev/null || true
      die "timed out waiting for $name at $(daemon_address "$name")"
    fi
    sleep 0.5
  done
}

# Warns when running daemon $1 was started with a config file $2 whose
# content differs from $3, the config this version of the script writes.
warn_if_config_changed() {
  local name=$1 config=$2 expected=$3
  if [[ ! -f $config || $(<"$config") != "$expected" ]]; then
    log "warning: $name runs with an outdated $config; run down, then up, to apply the current one"
  fi
}

probe_containerd() {
  timeout 5 ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1
}

probe_registry() {
  curl -fsS -m 2 -o /dev/null "http://$REGISTRY_ADDR/v2/" 2>/dev/null
}

probe_engine() {
  [[ $(curl -fsS -m 2 --unix-socket "$RUN_DIR/$1.sock" http://localhost/_ping 2>/dev/null) == OK ]]
}

render_containerd_config() {
  cat <<EOF
# Written by scripts/local-env, which overwrites it on every start.
version = 2
root = "$STATE_DIR/containerd"
state = "$RUN_DIR/containerd"
# The engines use containerd's own API, so the Kubernetes CRI plugin is off.
disabled_plugins = ["io.containerd.grpc.v1.cri"]

[grpc]
  address = "$CONTAINERD_SOCK"

[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"
EOF
}

start_containerd() {
  local config=$STATE_DIR/etc/containerd.toml
  if daemon_pid containerd >/dev/null; then
    warn_if_config_changed containerd "$config" "$(render_containerd_config)"
    return 0
  fi
  log "starting containerd"
  mkdir -p "$STATE_DIR/containerd" "$RUN_DIR/containerd"
  render_containerd_config >"$config"
  local pid
  pid=$(launch_daemon containerd env "${PROXY_ENV[@]}" \
    /usr/bin/containerd --config "$config")
  echo "$pid" >"$(daemon_pidfile containerd)"
  wait_until_ready containerd "$pid" probe_containerd
}

render_registry_config() {
  cat <<EOF
# Written by scripts/local-env, which overwrites it on every start.
version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: $STATE_DIR/registry
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $REGISTRY_ADDR
  headers:
    X-Content-Type-Options: [nosniff]
EOF
}

start_registry() {
  local config=$STATE_DIR/etc/registry.yml
  if daemon_pid registry >/dev/null; then
    warn_if_config_changed registry "$config" "$(render_registry_config)"
    return 0
  fi
  if ss -Hltn "sport = :${REGISTRY_ADDR##*:}" | grep -q .; then
    ss -Hltnp "sport = :${REGISTRY_ADDR##*:}" >&2 || true
    die "port ${REGISTRY_ADDR##*:} is already in use by the process listed above. Stop it, then run up again"
  fi
  log "starting registry on $REGISTRY_ADDR"
  mkdir -p "$STATE_DIR/registry"
  render_registry_config >"$config"
  local pid
  pid=$(launch_daemon registry /usr/bin/docker-registry serve "$config")
  echo "$pid" >"$(daemon_pidfile registry)"
  wait_until_ready registry "$pid" probe_registry
}

# Each engine gets its own Linux bridge, which Docker uses as its default
# "bridge" network. BuildKit runs RUN steps with the default network mode on
# that network and fails with "network bridge not found" without it. The
# addresses come from 198.18.0.0/15, the range that RFC 2544 reserves for
# isolated test networks, so they never collide with a real network.
# IP forwarding, NAT and iptables stay off, so containers reach nothing but
# their own engine's host side of the bridge.
engine_bridge() {
  echo "dr-$1"
}

engine_bridge_address() {
  case $1 in
    docker28) echo 198.18.28.1/24 ;;
    docker20) echo 198.18.20.1/24 ;;
  esac
}

# Address pool for networks created with `docker network create`.
engine_address_pool() {
  case $1 in
    docker28) echo 198.18.64.0/18 ;;
    docker20) echo 198.18.128.0/18 ;;
  esac
}

create_bridge() {
  local bridge address
  bridge=$(engine_bridge "$1")
  address=$(engine_bridge_address "$1")
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add name "$bridge" type bridge || die "failed to create bridge $bridge"
  fi
  if ! ip -o -4 addr show dev "$bridge" | grep -qF " ${address} "; then
    ip addr flush dev "$bridge"
    ip addr add "$address" dev "$bridge"
  fi
  ip link set "$bridge" up
}

delete_bridge() {
  local bridge
  bridge=$(engine_bridge "$1")
  if ip link show "$bridge" >/dev/null 2>&1; then
    ip link delete "$bridge" || log "warning: failed to delete bridge $bridge"
  fi
}

# Prints the daemon.json lines that differ between the engines.
engine_specific_config() {
  case $1 in
    docker28)
      # The containerd image store ("containerd-snapshotter") makes images
      # and build results OCI content in containerd, and lets BuildKit
      # export attestations and multi-platform images.
      # Build cache GC in BuildKit's terms: keep at least reservedSpace,
      # prune down to maxUsedSpace, and prune further while the disk has
      # less than minFreeSpace free.
      cat <<'EOF'
  "features": { "containerd-snapshotter": true },
  "builder": {
    "gc": {
      "enabled": true,
      "defaultReservedSpace": "1GB",
      "defaultMaxUsedSpace": "10GB",
      "defaultMinFreeSpace": "5GB"
    }
  },
EOF
      ;;
    docker20)
      # Docker 20.10 has only one GC bound: the cache size it prunes to.
      cat <<'EOF'
  "storage-driver": "overlay2",
  "features": { "buildkit": true },
  "builder": { "gc": { "enabled": true, "defaultKeepStorage": "10GB" } },
EOF
      ;;
  esac
}

render_engine_config() {
  local name=$1
  cat <<EOF
{
$(engine_specific_config "$name")
  "data-root": "$STATE_DIR/$name",
  "exec-root": "$RUN_DIR/$name",
  "pidfile": "$(daemon_pidfile "$name")",
  "hosts": ["$(daemon_address "$name")"],
  "group": "root",
  "containerd": "$CONTAINERD_SOCK",
  "containerd-namespace": "depot-runner-$name",
  "containerd-plugins-namespace": "depot-runner-$name-plugins",
  "bridge": "$(engine_bridge "$name")",
  "default-address-pools": [{ "base": "$(engine_address_pool "$name")", "size": 24 }],
  "iptables": false,
  "ip6tables": false,
  "ip-forward": false,
  "ip-masq": false,
  "userland-proxy": false,
  "init-path": "/usr/bin/tini-static",
  "insecure-registries": ["127.0.0.1:5000", "localhost:5000"],
  "log-driver": "json-file",
  "log-opts": { "max-size": "10m", "max-file": "2" }
}
EOF
}

start_engine() {
  local name=$1
  local config=$STATE_DIR/etc/$name.json
  if daemon_pid "$name" >/dev/null; then
    warn_if_config_changed "$name" "$config" "$(render_engine_config "$name")"
    return 0
  fi
  log "starting $name engine"
  create_bridge "$name"
  mkdir -p "$STATE_DIR/$name" "$RUN_DIR/$name"
  render_engine_config "$name" >"$config"
  local tree pid
  tree=$(dirname "$(dirname "$(dirname "$(daemon_binary "$name")")")")
  # dockerd writes its own pidfile and refuses to start while it names a
  # running dockerd, so this script never writes it.
  pid=$(launch_daemon "$name" env "${PROXY_ENV[@]}" \
    "PATH=$tree/usr/sbin:$tree/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    "$(daemon_binary "$name")" --config-file "$config")
  wait_until_ready "$name" "$pid" probe_engine
}

# Sends SIGTERM to daemon $1, waits up to STOP_TIMEOUT seconds, then sends
# SIGKILL.
stop_daemon() {
  local name=$1 pid
  if ! pid=$(daemon_pid "$name"); then
    rm -f "$(daemon_pidfile "$name")"
    return 0
  fi
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      log "warning: $name did not exit within ${STOP_TIMEOUT} s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$(daemon_pidfile "$name")"
}

stop_engine() {
  stop_daemon "$1"
  delete_bridge "$1"
}

# Runs the docker CLI against engine $1 with arguments $2...
docker_on() {
  local name=$1
  shift
  DOCKER_HOST=$(daemon_address "$name") DOCKER_CONFIG=$DOCKER_CONFIG_DIR "$DOCKER_CLI" "$@"
}

# Prints the digest of the manifest of image $2 in the registry at $1, or
# nothing if the registry has no such image.
registry_manifest_digest() {
  local registry=$1 image=$2
  local repository=${image#*/}
  local tag=${repository##*:}
  repository=${repository%:*}
  curl -fsS -m 10 -I \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$registry/v2/$repository/manifests/$tag" 2>/dev/null |
    tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" { print $2 }'
}

# Loads the base image archive into both engines unless they already have
# the same image, and pushes it to the registry unless the registry already
# has the same manifest.
ensure_base_image() {
  local archive manifest_digest config_digest
  archive=$(base_image_archive_path)
  manifest_digest=$(tar -xOf "$archive" ./index.json | grep -o '"digest":"sha256:[0-9a-f]*"' | head -n1 | cut -d'"' -f4)
  config_digest=$(tar -xOf "$archive" ./manifest.json | grep -o '"Config":"blobs/sha256/[0-9a-f]*"' | cut -d/ -f3 | tr -d '"')
  config_digest=sha256:$config_digest

  # With the containerd image store the image ID is the manifest digest.
  # With a graph driver it is the config digest.
  local name expected_id
  for name in docker28 docker20; do
    expected_id=$manifest_digest
    [[ $name == docker20 ]] && expected_id=$config_digest
    if [[ $(docker_on "$name" image inspect -f '{{.Id}}' "$BASE_IMAGE" 2>/dev/null) != "$expected_id" ]]; then
      log "loading $BASE_IMAGE into $name"
      docker_on "$name" load -q -i "$archive" >/dev/null || die "docker load of $archive into $name failed"
    fi
  done

  if [[ $(registry_manifest_digest "$REGISTRY_ADDR" "$BASE_IMAGE") != "$manifest_digest" ]]; then
    log "pushing $BASE_IMAGE to the registry"
    docker_on docker28 push -q "$BASE_IMAGE" >/dev/null || die "docker push of $BASE_IMAGE failed"
    local pushed
    pushed=$(registry_manifest_digest "$REGISTRY_ADDR" "$BASE_IMAGE")
    [[ $pushed == "$manifest_digest" ]] ||
      die "registry has $BASE_IMAGE as ${pushed:-nothing}, expected $manifest_digest"
  fi
}

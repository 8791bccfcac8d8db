# shellcheck shell=bash
# Installs what scripts/local-env runs: bookworm packages with apt-get, and
# the Docker packages unpacked into $CACHE_DIR. Sourced by scripts/local-env,
# which defines CACHE_DIR, the *_TREE paths, BASE_IMAGE, log and die.

# Bookworm packages that the daemons need at run time. containerd and runc
# serve both engines, and tini provides their docker-init (tini-static).
# Docker 20.10's dockerd links libdevmapper. iptables is a declared
# dependency of both docker.io packages, although the engines run with
# iptables disabled.
readonly APT_PACKAGES=(
  busybox-static
  ca-certificates
  containerd
  curl
  debian-archive-keyring
  docker-registry
  iproute2
  iptables
  libdevmapper1.02.1
  libsystemd0
  # htpasswd writes the bcrypt password file of the Basic auth registry.
  apache2-utils
  # The SSH forwarding tests generate keys and run a real agent.
  openssh-client
  openssl
  runc
  tini
)

# Debian testing, where docker.io is at 28.x. It is read only through the
# private apt configuration below.
readonly FORKY_SOURCE="deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian forky main"
readonly FORKY_PACKAGES=(docker.io docker-cli docker-buildx)
# Debian's package lists older than this many minutes are refreshed before
# an install or download.
readonly APT_LISTS_MAX_AGE_MINUTES=360

# Succeeds if the newest package list in $1 is younger than
# APT_LISTS_MAX_AGE_MINUTES.
apt_lists_fresh() {
  local lists_dir=$1
  [[ -n $(find "$lists_dir" -maxdepth 1 -name '*_Packages*' -mmin "-$APT_LISTS_MAX_AGE_MINUTES" -print -quit 2>/dev/null) ]]
}

# Prints the names of the APT_PACKAGES that are not installed.
missing_apt_packages() {
  local package status
  for package in "${APT_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    [[ $status == installed ]] || printf '%s\n' "$package"
  done
}

# Runs command $@ with its output hidden, and prints that output to stderr
# only if the command fails.
run_quietly() {
  local output status=0
  output=$("$@" 2>&1) || status=$?
  ((status == 0)) || printf '%s\n' "$output" >&2
  return "$status"
}

install_apt_packages() {
  local missing=()
  mapfile -t missing < <(missing_apt_packages)
  ((${#missing[@]} > 0)) || return 0

  log "installing bookworm packages: ${missing[*]}"
  if ! apt_lists_fresh /var/lib/apt/lists; then
    run_quietly apt-get update || die "apt-get update failed"
  fi
  if ! run_quietly env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"; then
    # A list that is fresh by age may still name a package version that the
    # mirror has replaced since, so refresh once and retry.
    log "retrying after apt-get update"
    run_quietly apt-get update || die "apt-get update failed"
    run_quietly env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y --no-install-recommends "${missing[@]}" ||
      die "apt-get install failed for: ${missing[*]}"
  fi
}

# Writes the apt configuration that reads only Debian testing and keeps its
# lists, cache and (empty) dpkg status under $CACHE_DIR/apt-forky, so the
# system's own apt state is untouched.
write_forky_apt_config() {
  local root=$CACHE_DIR/apt-forky
  mkdir -p "$root/etc/sources.list.d" "$root/etc/preferences.d" \
    "$root/state/lists/partial" "$root/cache/archives/partial"
  printf '%s\n' "$FORKY_SOURCE" >"$root/etc/sources.list"
  touch "$root/state/status"
  cat >"$root/apt.conf" <<EOF
Dir::Etc::SourceList "$root/etc/sources.list";
Dir::Etc::SourceParts "$root/etc/sources.list.d";
Dir::Etc::Preferences "$root/etc/preferences";
Dir::Etc::PreferencesParts "$root/etc/preferences.d";
Dir::State "$root/state";
Dir::State::status "$root/state/status";
Dir::Cache "$root/cache";
EOF
}

# Runs apt-get with the forky configuration.
apt_get_forky() {
  APT_CONFIG=$CACHE_DIR/apt-forky/apt.conf apt-get "$@"
}

# Downloads packages $3... with `apt-get download` (using apt config file
# $2, or the system's if empty) and unpacks them into directory $1. The tree
# appears only when every package unpacked, and records the package
# versions in .packages.
download_and_unpack() {
  local tree=$1 apt_config=$2
  shift 2
  local work deb
  work=$(mktemp -d "$CACHE_DIR/download.XXXXXX")

  local apt_env=()
  [[ -z $apt_config ]] || apt_env=("APT_CONFIG=$apt_config")
  # The download runs as root because the _apt user cannot write to $work.
  if ! (cd "$work" && env "${apt_env[@]}" \
    apt-get download -qq -o APT::Sandbox::User=root "$@" >&2); then
    rm -rf "$work"
    return 1
  fi

  mkdir -p "$work/tree"
  for deb in "$work"/*.deb; do
    dpkg-deb -x "$deb" "$work/tree"
    # shellcheck disable=SC2016 # dpkg-deb expands ${Package}, not the shell
    dpkg-deb --show --showformat='${Package} ${Version}\n' "$deb" >>"$work/tree/.packages"
  done
  rm -rf "$tree"
  mv "$work/tree" "$tree"
  rm -rf "$work"
}

install_docker28() {
  [[ -f $DOCKER28_TREE/.packages ]] && return 0

  log "downloading ${FORKY_PACKAGES[*]} from Debian testing (forky)"
  mkdir -p "$CACHE_DIR"
  write_forky_apt_config
  if ! apt_lists_fresh "$CACHE_DIR/apt-forky/state/lists"; then
    run_quietly apt_get_forky update || die "apt-get update of the forky lists failed"
  fi
  if ! download_and_unpack "$DOCKER28_TREE" "$CACHE_DIR/apt-forky/apt.conf" "${FORKY_PACKAGES[@]}"; then
    run_quietly apt_get_forky update || die "apt-get update of the forky lists failed"
    download_and_unpack "$DOCKER28_TREE" "$CACHE_DIR/apt-forky/apt.conf" "${FORKY_PACKAGES[@]}" ||
      die "apt-get download failed for ${FORKY_PACKAGES[*]} from forky"
  fi

  local version
  version=$(awk '$1 == "docker.io" { print $2 }' "$DOCKER28_TREE/.packages")
  # NOTE: testing moves on. The engine is meant to be 28.x, but a newer
  # major in forky is used with a warning rather than failing every run.
  [[ $version == 28.* ]] || log "warning: forky's docker.io is $version, not 28.x"
}

install_docker20() {
  [[ -f $DOCKER20_TREE/.packages ]] && return 0

  log "downloading docker.io from Debian 12 (bookworm)"
  mkdir -p "$CACHE_DIR"
  if ! download_and_unpack "$DOCKER20_TREE" "" docker.io; then
    run_quietly apt-get update || die "apt-get update failed"
    download_and_unpack "$DOCKER20_TREE" "" docker.io ||
      die "apt-get download failed for docker.io from bookworm"
  fi
}

# Makes the docker CLI find buildx: it looks for plugins in
# $DOCKER_CONFIG/cli-plugins.
install_docker_config() {
  mkdir -p "$DOCKER_CONFIG_DIR/cli-plugins"
  ln -sfn "$BUILDX" "$DOCKER_CONFIG_DIR/cli-plugins/docker-buildx"
  [[ -f $DOCKER_CONFIG_DIR/config.json ]] || printf '{}\n' >"$DOCKER_CONFIG_DIR/config.json"
}

# Prints the path of the base image archive for the installed busybox-static.
base_image_archive_path() {
  printf '%s/base-image/busybox-static_%s.tar\n' "$CACHE_DIR" \
    "$(dpkg-query -W -f='${Version}' busybox-static | tr ':' '_')"
}

install_base_image_archive() {
  local archive
  archive=$(base_image_archive_path)
  [[ -f $archive ]] && return 0
  mkdir -p "$(dirname "$archive")"
  base_image_build_archive "$archive" "$BASE_IMAGE"
}

install_all() {
  install_apt_packages
  install_docker28
  install_docker20
  install_docker_config
  install_base_image_archive
}

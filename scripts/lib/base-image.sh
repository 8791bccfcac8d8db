# shellcheck shell=bash
# Builds the busybox base image used by local test builds as an image
# archive that both `docker load` formats accept: the OCI image layout
# (index.json, oci-layout, blobs/) plus the legacy Docker manifest.json.
# Docker 20.10 reads only manifest.json, and Docker 28 with the containerd
# image store reads index.json.
#
# The archive is reproducible: file times come from the busybox binary of
# the installed busybox-static package, so the same package version always
# gives the same layer, config and manifest digests.

# Prints the SHA-256 hex digest of a file.
base_image_sha256() {
  sha256sum "$1" | cut -d' ' -f1
}

# Writes the rootfs of the base image into directory $1: busybox with a
# symlink for every applet it was built with, /etc/passwd, /etc/group and
# world-writable /tmp and /var/tmp.
base_image_make_rootfs() {
  local rootfs=$1 busybox=/bin/busybox applet
  mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,var/tmp,proc,sys,dev}
  cp "$busybox" "$rootfs/bin/busybox"
  chmod 0755 "$rootfs/bin/busybox"
  chmod 1777 "$rootfs/tmp" "$rootfs/var/tmp"
  chmod 0700 "$rootfs/root"

  # `busybox --list-full` prints each applet with its install path, for
  # example "usr/bin/wget".
  while read -r applet; do
    [[ -e "$rootfs/$applet" ]] || ln -s /bin/busybox "$rootfs/$applet"
  done < <("$busybox" --list-full)

  cat >"$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
  cat >"$rootfs/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
}

# Builds the image archive $1 for image reference $2 (for example
# 127.0.0.1:5000/base/busybox:latest) from the installed busybox-static.
base_image_build_archive() {
  local archive=$1 image_ref=$2
  local work epoch created busybox_version arch
  work=$(mktemp -d)
  # The caller's EXIT trap is left alone, so clean up on every return path.
  # shellcheck disable=SC2064
  trap "rm -rf '$work'" RETURN

  busybox_version=$(dpkg-query -W -f='${Version}' busybox-static)
  # Debian and OCI share the names amd64, arm64, ppc64le, riscv64 and s390x.
  # NOTE: 32-bit ARM would need OCI's "arm" plus a variant, which is not mapped.
  arch=$(dpkg --print-architecture)
  epoch=$(stat -c %Y /bin/busybox)
  created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)

  base_image_make_rootfs "$work/rootfs"
  mkdir -p "$work/out/blobs/sha256"

  # Uncompressed layer, so its digest is also the diff ID.
  tar --create --file "$work/layer.tar" --directory "$work/rootfs" \
    --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
    --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    .
  local layer_digest layer_size
  layer_digest=$(base_image_sha256 "$work/layer.tar")
  layer_size=$(stat -c %s "$work/layer.tar")
  mv "$work/layer.tar" "$work/out/blobs/sha256/$layer_digest"

  local config_digest config_size
  printf '%s' "{\"architecture\":\"$arch\",\"os\":\"linux\",\"created\":\"$created\",\
\"config\":{\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],\"Cmd\":[\"sh\"],\
\"Labels\":{\"org.opencontainers.image.description\":\"busybox-static $busybox_version from Debian, built by scripts/local-env\"}},\
\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:$layer_digest\"]},\
\"history\":[{\"created\":\"$created\",\"created_by\":\"scripts/local-env: busybox-static $busybox_version\"}]}" \
    >"$work/config.json"
  config_digest=$(base_image_sha256 "$work/config.json")
  config_size=$(stat -c %s "$work/config.json")
  mv "$work/config.json" "$work/out/blobs/sha256/$config_digest"

  local manifest_digest manifest_size
  printf '%s' "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\
\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:$config_digest\",\"size\":$config_size},\
\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:$layer_digest\",\"size\":$layer_size}]}" \
    >"$work/manifest.json"
  manifest_digest=$(base_image_sha256 "$work/manifest.json")
  manifest_size=$(stat -c %s "$work/manifest.json")
  mv "$work/manifest.json" "$work/out/blobs/sha256/$manifest_digest"

  printf '%s' '{"imageLayoutVersion":"1.0.0"}' >"$work/out/oci-layout"
  printf '%s' "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\
\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:$manifest_digest\",\"size\":$manifest_size,\
\"annotations\":{\"io.containerd.image.name\":\"$image_ref\",\"org.opencontainers.image.ref.name\":\"${image_ref##*:}\"},\
\"platform\":{\"architecture\":\"$arch\",\"os\":\"linux\"}}]}" \
    >"$work/out/index.json"
  printf '%s' "[{\"Config\":\"blobs/sha256/$config_digest\",\"RepoTags\":[\"$image_ref\"],\
\"Layers\":[\"blobs/sha256/$layer_digest\"]}]" \
    >"$work/out/manifest.json"

  tar --create --file "$archive.tmp" --directory "$work/out" \
    --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner .
  mv "$archive.tmp" "$archive"
}

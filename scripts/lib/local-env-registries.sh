# shellcheck shell=bash
# The two registries of scripts/local-env that require authentication, next
# to the open one on REGISTRY_ADDR. Both run Debian's docker-registry:
#
#   auth-registry   htpasswd Basic auth, one user with a generated password
#   token-registry  Bearer token auth. The registry trusts tokens signed by
#                   the key in TOKEN_ISSUER_DIR, and its clients fetch them
#                   from TOKEN_ISSUER_ADDR, where tests start the token
#                   issuer of the control-plane double
#                   (dev.depotrunner.controlplane.registry).
#
# Sourced by scripts/local-env after local-env-daemons.sh, which defines
# launch_daemon, wait_until_ready and the paths.

readonly AUTH_REGISTRY_ADDR=127.0.0.1:5001
readonly AUTH_REGISTRY_USER=depot-runner
readonly AUTH_REGISTRY_DIR=$STATE_DIR/auth-registry-secrets
readonly AUTH_REGISTRY_PASSWORD_FILE=$AUTH_REGISTRY_DIR/password
readonly AUTH_REGISTRY_HTPASSWD=$AUTH_REGISTRY_DIR/htpasswd

readonly TOKEN_REGISTRY_ADDR=127.0.0.1:5002
# Nothing listens here until a test starts the token issuer.
readonly TOKEN_ISSUER_ADDR=127.0.0.1:5003
readonly TOKEN_ISSUER_REALM=http://$TOKEN_ISSUER_ADDR/registry/token
readonly TOKEN_SERVICE=depot-runner-token-registry
readonly TOKEN_ISSUER=depot-runner-control-plane
readonly TOKEN_ISSUER_DIR=$STATE_DIR/token-issuer
readonly TOKEN_ISSUER_KEY=$TOKEN_ISSUER_DIR/issuer.key
readonly TOKEN_ISSUER_CERT=$TOKEN_ISSUER_DIR/issuer.crt

# Writes the user's password and htpasswd file once, so a registry that
# still runs from an earlier `up` keeps accepting the password on file.
ensure_auth_registry_secrets() {
  [[ -s $AUTH_REGISTRY_PASSWORD_FILE && -s $AUTH_REGISTRY_HTPASSWD ]] && return 0
  log "generating the password of $AUTH_REGISTRY_USER for the auth registry"
  mkdir -p "$AUTH_REGISTRY_DIR"
  chmod 700 "$AUTH_REGISTRY_DIR"
  local password
  password=$(openssl rand -hex 24)
  (umask 077 && printf '%s' "$password" >"$AUTH_REGISTRY_PASSWORD_FILE")
  # docker-registry accepts only bcrypt entries in an htpasswd file.
  printf '%s' "$password" | htpasswd -niB "$AUTH_REGISTRY_USER" >"$AUTH_REGISTRY_HTPASSWD" ||
    die "htpasswd failed to write $AUTH_REGISTRY_HTPASSWD"
}

# Writes the issuer's EC P-256 key (PKCS#8 PEM) and a self-signed
# certificate for it once. The registry trusts the certificate as its
# rootcertbundle, and the issuer puts it in each token's x5c header.
ensure_token_issuer_key() {
  [[ -s $TOKEN_ISSUER_KEY && -s $TOKEN_ISSUER_CERT ]] && return 0
  log "generating the token issuer's key and certificate"
  mkdir -p "$TOKEN_ISSUER_DIR"
  (umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$TOKEN_ISSUER_KEY" -out "$TOKEN_ISSUER_CERT" -days 3650 \
    -subj "/CN=$TOKEN_ISSUER" 2>/dev/null) || die "openssl failed to write $TOKEN_ISSUER_KEY"
  chmod 644 "$TOKEN_ISSUER_CERT"
}

# Prints the registry configuration for registry $1 on address $2, with
# the auth section read from stdin.
render_secured_registry_config() {
  local name=$1 address=$2
  cat <<EOF
# Written by scripts/local-env, which overwrites it on every start.
version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: $STATE_DIR/$name
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $address
  headers:
    X-Content-Type-Options: [nosniff]
EOF
  cat
}

render_auth_registry_config() {
  render_secured_registry_config auth-registry "$AUTH_REGISTRY_ADDR" <<EOF
auth:
  htpasswd:
    realm: $AUTH_REGISTRY_ADDR
    path: $AUTH_REGISTRY_HTPASSWD
EOF
}

render_token_registry_config() {
  render_secured_registry_config token-registry "$TOKEN_REGISTRY_ADDR" <<EOF
auth:
  token:
    realm: $TOKEN_ISSUER_REALM
    service: $TOKEN_SERVICE
    issuer: $TOKEN_ISSUER
    rootcertbundle: $TOKEN_ISSUER_CERT
EOF
}

# Succeeds when registry $1 returns 401 for /v2/, as a registry that
# requires authentication does.
probe_secured_registry() {
  local address
  address=$(daemon_address "$1")
  [[ $(curl -sS -m 2 -o /dev/null -w '%{http_code}' "$address/v2/" 2>/dev/null) == 401 ]]
}

# Starts registry $1 on $2 with the configuration that render function $3
# prints, unless it runs already.
start_secured_registry() {
  local name=$1 address=$2 render=$3
  local config=$STATE_DIR/etc/$name.yml
  if daemon_pid "$name" >/dev/null; then
    warn_if_config_changed "$name" "$config" "$("$render")"
    return 0
  fi
  if ss -Hltn "sport = :${address##*:}" | grep -q .; then
    ss -Hltnp "sport = :${address##*:}" >&2 || true
    die "port ${address##*:} is already in use by the process listed above. Stop it, then run up again"
  fi
  log "starting $name on $address"
  mkdir -p "$STATE_DIR/$name"
  "$render" >"$config"
  local pid
  pid=$(launch_daemon "$name" /usr/bin/docker-registry serve "$config")
  echo "$pid" >"$(daemon_pidfile "$name")"
  wait_until_ready "$name" "$pid" probe_secured_registry
}

start_auth_registry() {
  ensure_auth_registry_secrets
  start_secured_registry auth-registry "$AUTH_REGISTRY_ADDR" render_auth_registry_config
}

start_token_registry() {
  ensure_token_issuer_key
  start_secured_registry token-registry "$TOKEN_REGISTRY_ADDR" render_token_registry_config
}

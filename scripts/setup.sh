#!/usr/bin/env bash
# Installs what Atrium's tests and local stack need on a fresh machine, and nothing that is
# already there: redis-server (apt), npm packages (npm ci when the lockfile changed), and the
# servers built through the Go module proxy (FerretDB, etcd, kube-apiserver, kubectl, helm).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*" >&2; }

if ! command -v redis-server >/dev/null 2>&1; then
  log "installing redis-server with apt-get"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
fi

stamp=node_modules/.atrium-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

started=$(date +%s)
bash scripts/build-servers.sh all
bash scripts/build-servers.sh schemathesis
log "servers built or found in cache in $(( $(date +%s) - started )) s"

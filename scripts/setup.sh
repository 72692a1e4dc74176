#!/usr/bin/env bash
# Installs what Atrium needs on a fresh machine, and nothing that is already there and works:
# redis-server (apt), npm packages (npm ci when the lockfile changed), and the tools built through
# the Go module proxy and PyPI (scripts/build-servers.sh, which executes every cached tool before
# trusting it and rebuilds one that fails).
#
#   scripts/setup.sh stack   what scripts/local-stack.sh needs
#   scripts/setup.sh test    everything the tests need (the default)
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${1:-test}
case $profile in stack | test) ;; *) echo "usage: $0 [stack|test]" >&2; exit 2 ;; esac

log() { printf '[setup] %s\n' "$*" >&2; }

if ! redis-server --version >/dev/null 2>&1; then
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
bash scripts/build-servers.sh "$profile"
log "tools for '$profile' built or found working in the cache in $(( $(date +%s) - started )) s"

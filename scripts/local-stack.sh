#!/usr/bin/env bash
# The main job: the whole of Atrium on this machine with sample tenants (see scripts/local-stack.ts).
# Sets up whatever is missing first. `--once` exits after the scripted LMS session.
set -euo pipefail
cd "$(dirname "$0")/.."
for arg in "$@"; do
  case "$arg" in
    -h|--help)
      cat <<'EOF'
Usage: scripts/local-stack.sh [--once] [--tenants N]

The whole of Atrium on this machine: FerretDB clusters, Redis, a kube-apiserver, the CRDs, the
operator and the API as processes; applies examples/tenants/ with kubectl, waits for them to be
Ready, runs a short LMS session against each, prints how to reach everything, and keeps serving
until Ctrl-C. Builds or installs whatever is missing first (scripts/setup.sh stack).

  --once        exit after the scripted LMS session (with its exit code)
  --tenants N   also apply N generated sample Tenants (sample-0001 ..., free plan) and report how
                long they took to become Ready (0 to 5000; default 0)
  -h, --help    this text
EOF
      exit 0 ;;
  esac
done
bash scripts/setup.sh stack
exec npx --no-install tsx scripts/local-stack.ts "$@"

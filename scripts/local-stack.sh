#!/usr/bin/env bash
# The main job: the whole of Atrium on this machine with sample tenants (see scripts/local-stack.ts).
# Sets up whatever is missing first. `--once` exits after the scripted LMS session.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh stack
exec npx --no-install tsx scripts/local-stack.ts "$@"

#!/usr/bin/env bash
# The test command: sets up whatever is missing, then runs biome, tsc and the ava suites against
# real servers (see test/harness/run.ts). Extra arguments are ava file patterns.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec npm test --silent -- "$@"

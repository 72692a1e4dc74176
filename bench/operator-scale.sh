#!/usr/bin/env bash
# Operator benchmark (issue 6): N Tenants applied at once against a real kube-apiserver and two
# FerretDB clusters; prints time until all are Ready, reconciles per second, API-server writes per
# tenant and steady-state writes. N defaults to 200.
#   bench/operator-scale.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
export ATRIUM_OPERATOR_SCALE=${1:-200} ATRIUM_SKIP_CHECKS=1
exec npm test --silent -- test/operator/scale.test.ts --verbose

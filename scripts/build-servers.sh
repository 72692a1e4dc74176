#!/usr/bin/env bash
# Builds the real servers and tools the tests and the local stack run against (through the Go
# module proxy and PyPI) into a cache outside the checkout, one folder per tool and version.
#
#   scripts/build-servers.sh [stack|test|all|TOOL...]   make sure these tools are cached and work
#   scripts/build-servers.sh path BINARY                 the same for one binary, then print its path
#   scripts/build-servers.sh verify TOOL...              execute cached tools; exit 1 if one fails
#
# TOOL: ferretdb etcd kube helm helm3 skaffold toxiproxy promtool schemathesis versitygw
# BINARY: ferretdb etcd kube-apiserver kubectl helm helm3 skaffold toxiproxy-server promtool st versitygw
# `stack` is what scripts/local-stack.sh needs; `test` (= all) adds what only the tests use.
#
# A cached tool is trusted only after it has been executed (`--version` or its equivalent): an
# entry that fails (half-written by an interrupted build, or broken some other way) is removed
# and rebuilt, with a log line saying why. Tools are installed in the folder they run from and
# never moved afterwards: a virtualenv, for one, hard-codes its own path into its scripts.
# Independent tools build two at a time; each has its own lock, so concurrent callers wait for
# one builder instead of building twice. Progress goes to stderr.
set -euo pipefail

FERRETDB_VERSION=${FERRETDB_VERSION:-v1.24.2}
ETCD_VERSION=${ETCD_VERSION:-v3.6.16}
KUBE_VERSION=${KUBE_VERSION:-v1.37.2}
HELM_MODULE=${HELM_MODULE:-helm.sh/helm/v4}
HELM_VERSION=${HELM_VERSION:-v4.3.1}
# Helm 3 too: the chart is checked with both majors, and skaffold v2 drives Helm 3 only.
HELM3_VERSION=${HELM3_VERSION:-v3.22.0}
SCHEMATHESIS_VERSION=${SCHEMATHESIS_VERSION:-4.32.5}
SKAFFOLD_VERSION=${SKAFFOLD_VERSION:-v2.16.1}
# Fault injection between Atrium and its dependencies (test/harness/toxiproxy.ts).
TOXIPROXY_VERSION=${TOXIPROXY_VERSION:-v2.5.0}
# The chart's alert rules are unit-tested with `promtool test rules` (test/chart/alerts.test.ts).
# Prometheus 3.16.0, by its Go module version.
PROMTOOL_VERSION=${PROMTOOL_VERSION:-v0.316.0}
# S3-compatible storage over a local folder, for tenant backups and media (Apache 2.0).
VERSITYGW_VERSION=${VERSITYGW_VERSION:-v1.8.0}
CACHE=${ATRIUM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/atrium}
export GOFLAGS=-buildvcs=false CGO_ENABLED=0

# Longest build first in each list, so the last to finish starts early.
STACK_TOOLS=(kube versitygw helm ferretdb etcd)
TEST_TOOLS=(kube skaffold promtool versitygw helm ferretdb etcd helm3 toxiproxy schemathesis)

log() { printf '[build-servers] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

mkdir -p "$CACHE"

# --- the tools: where each lives, how it is built, how it is checked -------------------------

tool_dir() {
  case $1 in
    ferretdb) echo "$CACHE/ferretdb-$FERRETDB_VERSION" ;;
    etcd) echo "$CACHE/etcd-$ETCD_VERSION" ;;
    kube) echo "$CACHE/kube-$KUBE_VERSION" ;;
    helm) echo "$CACHE/helm-$HELM_VERSION" ;;
    helm3) echo "$CACHE/helm-$HELM3_VERSION" ;;
    skaffold) echo "$CACHE/skaffold-$SKAFFOLD_VERSION" ;;
    schemathesis) echo "$CACHE/schemathesis-$SCHEMATHESIS_VERSION" ;;
    toxiproxy) echo "$CACHE/toxiproxy-$TOXIPROXY_VERSION" ;;
    promtool) echo "$CACHE/promtool-$PROMTOOL_VERSION" ;;
    versitygw) echo "$CACHE/versitygw-$VERSITYGW_VERSION" ;;
    *) die "unknown tool: $1" ;;
  esac
}

# What a cold build takes on 2 cores with empty Go and pip caches, for the progress line.
tool_expected() {
  case $1 in
    ferretdb) echo "about 1 min" ;;
    etcd) echo "about 1 min" ;;
    kube) echo "about 6 min" ;;
    helm) echo "about 2.5 min" ;;
    helm3) echo "about 1 min" ;;
    skaffold) echo "5 to 12 min" ;;
    schemathesis) echo "about 1 min" ;;
    toxiproxy) echo "about 1 min" ;;
    promtool) echo "5 to 9 min" ;;
    versitygw) echo "about 3 min" ;;
  esac
}

# Executes every binary of a tool from where it is cached; prints the first line of its answer.
verify_tool() {
  local dir answer status=0
  dir=$(tool_dir "$1")
  answer=$(
    case $1 in
      ferretdb) "$dir/ferretdb" --version ;;
      etcd) "$dir/etcd" --version ;;
      kube) "$dir/kube-apiserver" --version && "$dir/kubectl" version --client ;;
      helm | helm3) "$dir/helm" version --short ;;
      skaffold) SKAFFOLD_UPDATE_CHECK=false "$dir/skaffold" version ;;
      schemathesis) "$dir/bin/st" --version ;;
      toxiproxy) "$dir/server" -version ;;
      promtool) "$dir/promtool" --version ;;
      versitygw) "$dir/versitygw" --version ;;
    esac 2>&1
  ) || status=$?
  printf '%s\n' "${answer%%$'\n'*}"
  return "$status"
}

install_ferretdb() {
  local out=$1 dir work
  dir=$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
  work=$(mktemp -d)
  cp -r "$dir" "$work/src" && chmod -R u+w "$work/src"
  # A plain module build panics without the version file that FerretDB's own build writes.
  echo "$FERRETDB_VERSION" > "$work/src/build/version/version.txt"
  (cd "$work/src" && go build -trimpath -o "$out/ferretdb" ./cmd/ferretdb)
  rm -rf "$work"
}

install_etcd() {
  local out=$1 work
  work=$(mktemp -d)
  cat > "$work/main.go" <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  (cd "$work" && go mod init atrium.local/etcd >/dev/null 2>&1 \
    && go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >/dev/null 2>&1 \
    && go mod tidy >/dev/null 2>&1 \
    && go build -trimpath -o "$out/etcd" .)
  rm -rf "$work"
}

install_kube() {
  local out=$1 work gomod staging
  work=$(mktemp -d)
  gomod=$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/^\s*"GoMod": "\(.*\)",$/\1/p')
  staging="v0.${KUBE_VERSION#v1.}"
  # k8s.io/kubernetes replaces its staging modules with local folders; point each at its
  # published module of the matching v0 version instead.
  {
    echo "module atrium.local/kube"
    echo
    sed -n 's/^go \(.*\)$/go \1/p' "$gomod" | head -n1
    echo
    echo "require k8s.io/kubernetes $KUBE_VERSION"
    echo
    echo "replace ("
    grep -oE 'k8s\.io/[a-z0-9-]+ => \./staging/src/k8s\.io/[a-z0-9-]+' "$gomod" \
      | awk -v v="$staging" '{print "\t" $1 " => " $1 " " v}'
    echo ")"
  } > "$work/go.mod"
  cat > "$work/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
  (cd "$work" && go mod tidy >/dev/null \
    && go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/client-go/pkg/version.gitVersion=$KUBE_VERSION" \
         -o "$out/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl)
  rm -rf "$work"
}

install_helm() { GOBIN="$1" go install "$HELM_MODULE/cmd/helm@$HELM_VERSION"; }
install_helm3() { GOBIN="$1" go install "helm.sh/helm/v3/cmd/helm@$HELM3_VERSION"; }
install_toxiproxy() { GOBIN="$1" go install "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION"; }
install_versitygw() {
  GOBIN="$1" go install -ldflags "-s -w -X main.Version=$VERSITYGW_VERSION" \
    "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION"
}
# remove_all_sd leaves out Prometheus' service-discovery plugins (cloud SDKs): rule checks and
# rule unit tests need none of them.
install_promtool() {
  GOBIN="$1" go install -tags remove_all_sd \
    -ldflags "-s -w -X github.com/prometheus/common/version.Version=$PROMTOOL_VERSION" \
    "github.com/prometheus/prometheus/cmd/promtool@$PROMTOOL_VERSION"
}

install_skaffold() {
  local out=$1 work gomod
  work=$(mktemp -d)
  gomod=$(go mod download -json "github.com/GoogleContainerTools/skaffold/v2@$SKAFFOLD_VERSION" | sed -n 's/^\s*"GoMod": "\(.*\)",$/\1/p')
  # skaffold's go.mod pins some dependencies with replace directives, which `go install` ignores:
  # carry them into a wrapper module.
  {
    echo "module atrium.local/skaffold"
    echo
    grep -m1 '^go ' "$gomod"
    echo
    echo "require github.com/GoogleContainerTools/skaffold/v2 $SKAFFOLD_VERSION"
    echo
    grep '^replace ' "$gomod"
  } > "$work/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/GoogleContainerTools/skaffold/v2/cmd/skaffold"\n' > "$work/tools.go"
  (cd "$work" && go mod tidy >/dev/null \
    && go build -trimpath -ldflags "-s -w -X github.com/GoogleContainerTools/skaffold/v2/pkg/skaffold/version.version=$SKAFFOLD_VERSION" \
         -o "$out/skaffold" github.com/GoogleContainerTools/skaffold/v2/cmd/skaffold)
  rm -rf "$work"
}

# The virtualenv is created where it stays: pip writes its path into every console script.
install_schemathesis() {
  python3 -m venv "$1"
  "$1/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
}

# --- trusting and repairing the cache ----------------------------------------------------------

# ensure TOOL: the cached tool executes, or it is (re)built in place and then must execute.
ensure() {
  local tool=$1 dir lock answer started
  dir=$(tool_dir "$tool")
  exec {lock}>"$CACHE/.$tool.lock"
  flock "$lock"
  if [[ -e $dir ]]; then
    if answer=$(verify_tool "$tool"); then
      exec {lock}>&-
      return 0
    fi
    log "$tool: the cached copy in $dir does not execute (${answer:-no output}): removing it and rebuilding"
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  log "$tool: building into $dir ($(tool_expected "$tool") on a cold cache)"
  started=$(date +%s)
  if ! "install_$tool" "$dir"; then
    rm -rf "$dir"
    die "$tool: the build failed"
  fi
  if ! answer=$(verify_tool "$tool"); then
    rm -rf "$dir"
    die "$tool: freshly built, but it does not execute (${answer:-no output})"
  fi
  log "$tool: built in $(($(date +%s) - started)) s: $answer"
  exec {lock}>&-
}

# ensure_all TOOL...: at most ATRIUM_BUILD_JOBS (default 2) at a time, in the order given (the
# longest first); fails if any fails. Two overlap one build's downloads with another's compiling;
# more only make Go builds on 2 cores compete (all seven at once took 29 min instead of ~20).
ensure_all() {
  local jobs=${ATRIUM_BUILD_JOBS:-2} status tool failed=0
  status=$(mktemp -d)
  for tool in "$@"; do
    tool_dir "$tool" >/dev/null
    while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
    { (ensure "$tool"); echo $? > "$status/$tool"; } &
  done
  wait
  for tool in "$@"; do
    [[ $(cat "$status/$tool" 2>/dev/null) == 0 ]] || { log "$tool: not available"; failed=1; }
  done
  rm -rf "$status"
  return "$failed"
}

binary_tool() {
  case $1 in
    ferretdb | etcd | helm | helm3 | skaffold | promtool | versitygw) echo "$1" ;;
    kube-apiserver | kubectl) echo kube ;;
    st) echo schemathesis ;;
    toxiproxy-server) echo toxiproxy ;;
    *) die "unknown binary: $1" ;;
  esac
}

binary_path() {
  local dir; dir=$(tool_dir "$(binary_tool "$1")")
  case $1 in
    helm | helm3) echo "$dir/helm" ;;
    st) echo "$dir/bin/st" ;;
    toxiproxy-server) echo "$dir/server" ;;
    *) echo "$dir/$1" ;;
  esac
}

case ${1:-test} in
  path)
    [[ $# -eq 2 ]] || die "usage: $0 path BINARY"
    ensure "$(binary_tool "$2")"
    binary_path "$2"
    ;;
  verify)
    shift
    status=0
    for tool in "$@"; do
      if answer=$(verify_tool "$tool"); then echo "$tool: $answer"; else echo "$tool: FAILED (${answer:-no output})"; status=1; fi
    done
    exit "$status"
    ;;
  stack) ensure_all "${STACK_TOOLS[@]}" ;;
  test | all) ensure_all "${TEST_TOOLS[@]}" ;;
  *) ensure_all "$@" ;;
esac

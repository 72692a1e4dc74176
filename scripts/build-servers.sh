#!/usr/bin/env bash
# Builds the real servers the tests and the local stack run against, through the Go module
# proxy, into a cache outside the checkout keyed by version. Idempotent: a cached binary is reused.
#
#   scripts/build-servers.sh [ferretdb|etcd|kube|helm|all]   build what is missing
#   scripts/build-servers.sh path <ferretdb|etcd|kube-apiserver|kubectl|helm|helm3|skaffold|st>   build if missing, print the binary
#
# Progress goes to stderr.
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
CACHE=${ATRIUM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/atrium}
export GOFLAGS=-buildvcs=false CGO_ENABLED=0

log() { printf '[build-servers] %s\n' "$*" >&2; }

mkdir -p "$CACHE"

# One builder at a time per cache; a second caller waits and then finds the binaries.
exec 9>"$CACHE/.build.lock"
flock 9

build_ferretdb() {
  local out="$CACHE/ferretdb-$FERRETDB_VERSION"
  [[ -x $out/ferretdb ]] && return 0
  log "building FerretDB $FERRETDB_VERSION"
  local dir src work
  dir=$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
  work=$(mktemp -d)
  cp -r "$dir" "$work/src" && chmod -R u+w "$work/src"
  # A plain module build panics without the version file that FerretDB's own build writes.
  echo "$FERRETDB_VERSION" > "$work/src/build/version/version.txt"
  mkdir -p "$out.tmp"
  (cd "$work/src" && go build -trimpath -o "$out.tmp/ferretdb" ./cmd/ferretdb)
  rm -rf "$work" "$out" && mv "$out.tmp" "$out"
}

build_etcd() {
  local out="$CACHE/etcd-$ETCD_VERSION"
  [[ -x $out/etcd ]] && return 0
  log "building etcd $ETCD_VERSION"
  local work; work=$(mktemp -d)
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
    && mkdir -p "$out.tmp" && go build -trimpath -o "$out.tmp/etcd" .)
  rm -rf "$work" "$out" && mv "$out.tmp" "$out"
}

build_kube() {
  local out="$CACHE/kube-$KUBE_VERSION"
  [[ -x $out/kube-apiserver && -x $out/kubectl ]] && return 0
  log "building kube-apiserver and kubectl $KUBE_VERSION (several minutes on a cold cache)"
  local work gomod staging
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
    && mkdir -p "$out.tmp" \
    && go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/client-go/pkg/version.gitVersion=$KUBE_VERSION" \
         -o "$out.tmp/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl)
  rm -rf "$work" "$out" && mv "$out.tmp" "$out"
}

# build_helm_from MODULE VERSION: `go install` of one Helm major into the cache.
build_helm_from() {
  local out="$CACHE/helm-$2"
  [[ -x $out/helm ]] && return 0
  log "building helm $2"
  mkdir -p "$out.tmp"
  GOBIN="$out.tmp" go install "$1/cmd/helm@$2"
  rm -rf "$out" && mv "$out.tmp" "$out"
}
build_helm() { build_helm_from "$HELM_MODULE" "$HELM_VERSION"; }
build_helm3() { build_helm_from helm.sh/helm/v3 "$HELM3_VERSION"; }

build_skaffold() {
  local out="$CACHE/skaffold-$SKAFFOLD_VERSION"
  [[ -x $out/skaffold ]] && return 0
  log "building skaffold $SKAFFOLD_VERSION (several minutes on a cold cache)"
  local work gomod
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
    && mkdir -p "$out.tmp" \
    && go build -trimpath -ldflags "-s -w" -o "$out.tmp/skaffold" github.com/GoogleContainerTools/skaffold/v2/cmd/skaffold)
  rm -rf "$work" "$out" && mv "$out.tmp" "$out"
}

build_schemathesis() {
  local out="$CACHE/schemathesis-$SCHEMATHESIS_VERSION"
  [[ -x $out/bin/st ]] && return 0
  log "installing schemathesis $SCHEMATHESIS_VERSION from PyPI"
  rm -rf "$out.tmp"
  python3 -m venv "$out.tmp"
  "$out.tmp/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  rm -rf "$out" && mv "$out.tmp" "$out"
}

# `path NAME` builds NAME if it is missing and prints the path of its binary.
if [[ ${1:-} == path ]]; then
  case ${2:-} in
    ferretdb) build_ferretdb; echo "$CACHE/ferretdb-$FERRETDB_VERSION/ferretdb" ;;
    etcd) build_etcd; echo "$CACHE/etcd-$ETCD_VERSION/etcd" ;;
    kube-apiserver|kubectl) build_kube; echo "$CACHE/kube-$KUBE_VERSION/$2" ;;
    helm) build_helm; echo "$CACHE/helm-$HELM_VERSION/helm" ;;
    helm3) build_helm3; echo "$CACHE/helm-$HELM3_VERSION/helm" ;;
    skaffold) build_skaffold; echo "$CACHE/skaffold-$SKAFFOLD_VERSION/skaffold" ;;
    st) build_schemathesis; echo "$CACHE/schemathesis-$SCHEMATHESIS_VERSION/bin/st" ;;
    *) echo "unknown binary: ${2:-}" >&2; exit 2 ;;
  esac
  exit 0
fi

case ${1:-all} in
  ferretdb) build_ferretdb ;;
  etcd) build_etcd ;;
  kube) build_kube ;;
  helm) build_helm; build_helm3 ;;
  schemathesis) build_schemathesis ;;
  skaffold) build_skaffold ;;
  all) build_ferretdb; build_etcd; build_kube; build_helm; build_helm3; build_skaffold ;;
  *) echo "usage: $0 [ferretdb|etcd|kube|helm|all] | path <binary>" >&2; exit 2 ;;
esac

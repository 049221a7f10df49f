#!/usr/bin/env bash
# Build the real binaries for the end-to-end "regional clusters" harness from Go modules only:
#   etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kwok (the kubelet simulator),
#   Flux source-controller, Flux kustomize-controller and kustomize.
# Pins live in the wrapper modules under tools/e2e/*/go.mod (+ committed go.sum); see tools/e2e/README.md.
# Binaries go to .cache/tools/e2e/bin/ (git-ignored). A binary is rebuilt only when its stamp
# (version + wrapper go.mod/go.sum hash + Go version) changes, so a warm run takes seconds.
#
# Usage: scripts/build-e2e-tools.sh [--force] [TOOL...]
#        scripts/build-e2e-tools.sh --regen-k8s vX.Y.Z   # re-pin k8s.io/kubernetes and regenerate its replace list
# Env:   E2E_TOOLS_BIN overrides the output directory. GOCACHE/GOMODCACHE/GOPROXY are honoured as usual.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$ROOT/tools/e2e"
BIN="${E2E_TOOLS_BIN:-$ROOT/.cache/tools/e2e/bin}"
STAMPS="$BIN/.stamps"
LOGS="$ROOT/.cache/tools/e2e/logs"

# kustomize has no replace directives, so it is a plain `go install pkg@version`.
KUSTOMIZE_MODULE="sigs.k8s.io/kustomize/kustomize/v5"
KUSTOMIZE_VERSION="v5.7.1"

ALL_TOOLS=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok source-controller kustomize-controller kustomize)

die() { echo "build-e2e-tools: ERROR: $*" >&2; exit 1; }
log() { echo "build-e2e-tools: $*"; }

command -v go >/dev/null 2>&1 || die "go not found on PATH (need Go >= 1.26)"
GOVERSION="$(go env GOVERSION)"
case "$GOVERSION" in
  go1.2[6-9]*|go1.[3-9][0-9]*) ;;
  *) die "Go >= 1.26 required (the wrapper modules say 'go 1.26.0'), found $GOVERSION" ;;
esac

# Version of MODULE as pinned by the wrapper module in DIR (honours replace directives).
pinned() { # DIR MODULE
  (cd "$1" && go list -m -f '{{if .Replace}}{{.Replace.Version}}{{else}}{{.Version}}{{end}}' "$2")
}

regen_k8s() { # VERSION: rewrite tools/e2e/k8s/go.mod for k8s.io/kubernetes@VERSION, then tidy
  local v="$1" staging gomod godebug
  [[ "$v" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || die "--regen-k8s wants v1.MINOR.PATCH, got '$v'"
  staging="v0.${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
  gomod="$(cd "$TOOLS_DIR/k8s" && go mod download -json "k8s.io/kubernetes@$v" | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')" \
    || die "module k8s.io/kubernetes@$v cannot be downloaded from the Go module proxy"
  [[ -f "$gomod" ]] || die "no go.mod for k8s.io/kubernetes@$v"
  godebug="$(grep -E '^godebug ' "$gomod" || true)"
  {
    echo "// Wrapper module: builds kube-apiserver, kube-controller-manager, kube-scheduler and kubectl from k8s.io/kubernetes."
    echo "// k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with ./staging/...;"
    echo "// replace directives only apply in the main module, so each staging module is mapped here to its"
    echo "// published v0.x.y tag matching Kubernetes v1.x.y. Regenerate with scripts/build-e2e-tools.sh --regen-k8s."
    echo "module aksfleet.local/tools/e2e/k8s"
    echo
    echo "go 1.26.0"
    if [[ -n "$godebug" ]]; then
      echo
      echo "// copied from k8s.io/kubernetes@$v go.mod (ignored there when it is a dependency)"
      echo "$godebug"
    fi
    echo
    echo "require k8s.io/kubernetes $v"
    echo
    echo "replace ("
    grep -E '^[[:space:]]+k8s\.io/[^ ]+ v0\.0\.0$' "$gomod" | awk -v s="$staging" '{printf "\t%s => %s %s\n", $1, $1, s}'
    echo ")"
    echo
    echo "tool ("
    echo "	k8s.io/kubernetes/cmd/kube-apiserver"
    echo "	k8s.io/kubernetes/cmd/kube-controller-manager"
    echo "	k8s.io/kubernetes/cmd/kube-scheduler"
    echo "	k8s.io/kubernetes/cmd/kubectl"
    echo ")"
  } >"$TOOLS_DIR/k8s/go.mod"
  rm -f "$TOOLS_DIR/k8s/go.sum"
  (cd "$TOOLS_DIR/k8s" && go mod tidy) || die "go mod tidy failed for k8s.io/kubernetes@$v (a module above is not available?)"
  log "tools/e2e/k8s now pins k8s.io/kubernetes $v with staging modules at $staging"
}

FORCE=0
WANT=()
while (($#)); do
  case "$1" in
    --force) FORCE=1 ;;
    --regen-k8s) shift; regen_k8s "${1:-}"; exit 0 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) WANT+=("$1") ;;
  esac
  shift
done
((${#WANT[@]})) || WANT=("${ALL_TOOLS[@]}")
for t in "${WANT[@]}"; do
  [[ " ${ALL_TOOLS[*]} " == *" $t "* ]] || die "unknown tool '$t' (known: ${ALL_TOOLS[*]})"
done

mkdir -p "$BIN" "$STAMPS" "$LOGS"
export CGO_ENABLED=0

ROWS=()
FAILED=0

# Download every module a wrapper needs, once, so a missing module is reported by name.
declare -A DOWNLOADED=()
ensure_modules() { # DIR LABEL
  local dir="$1" label="$2" out
  [[ -n "${DOWNLOADED[$dir]:-}" ]] && return 0
  if ! out="$(cd "$dir" && go mod download 2>&1)"; then
    echo "$out" >&2
    local bad
    bad="$(echo "$out" | grep -oE '[A-Za-z0-9._~/-]+@v[0-9][^:[:space:]]*' | sort -u | tr '\n' ' ')"
    die "cannot get the modules for $label (wrapper ${dir#"$ROOT"/}); not available: ${bad:-see output above}"
  fi
  DOWNLOADED[$dir]=1
}

# build_one NAME VERSION STAMP_EXTRA CMD...  (CMD is run from the wrapper dir given in $WRAP)
build_one() {
  local name="$1" version="$2" extra="$3"; shift 3
  local stamp="$STAMPS/$name" want start secs logf="$LOGS/$name.log"
  want="$name $version go=$GOVERSION $extra"
  if ((FORCE == 0)) && [[ -x "$BIN/$name" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    log "$name $version: up to date"
    ROWS+=("$name|$version|0|cached")
    return 0
  fi
  log "building $name $version ..."
  start=$(date +%s)
  rm -f "$stamp"
  if (cd "$WRAP" && nice -n 10 "$@") >"$logf" 2>&1; then
    secs=$(( $(date +%s) - start ))
    echo "$want" >"$stamp"
    log "built $name $version in ${secs}s ($(du -h "$BIN/$name" | cut -f1))"
    ROWS+=("$name|$version|$secs|built")
  else
    secs=$(( $(date +%s) - start ))
    tail -n 30 "$logf" >&2
    echo "build-e2e-tools: ERROR: building $name $version failed after ${secs}s (module: $MODULE; full log: $logf)" >&2
    ROWS+=("$name|$version|$secs|FAILED")
    FAILED=1
  fi
}

want() { [[ " ${WANT[*]} " == *" $1 "* ]]; }
wrapsum() { cat "$1/go.mod" "$1/go.sum" | sha256sum | cut -c1-16; }

# --- etcd -------------------------------------------------------------------------------------
if want etcd; then
  WRAP="$TOOLS_DIR/etcd"; MODULE="go.etcd.io/etcd/server/v3"
  ensure_modules "$WRAP" "$MODULE"
  V="$(pinned "$WRAP" "$MODULE")"
  build_one etcd "$V" "sum=$(wrapsum "$WRAP")" \
    go build -trimpath -ldflags "-s -w" -o "$BIN/etcd" "$MODULE"
fi

# --- kube-apiserver, kube-controller-manager, kube-scheduler, kubectl ------------------------
if want kube-apiserver || want kube-controller-manager || want kube-scheduler || want kubectl; then
  WRAP="$TOOLS_DIR/k8s"; MODULE="k8s.io/kubernetes"
  ensure_modules "$WRAP" "$MODULE"
  K8S="$(pinned "$WRAP" "$MODULE")"
  [[ "$K8S" =~ ^v([0-9]+)\.([0-9]+)\. ]] || die "unexpected k8s.io/kubernetes version '$K8S'"
  MAJ="${BASH_REMATCH[1]}"; MIN="${BASH_REMATCH[2]}"
  K8S_LDFLAGS="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    K8S_LDFLAGS+=" -X $pkg.gitVersion=$K8S -X $pkg.gitMajor=$MAJ -X $pkg.gitMinor=$MIN -X $pkg.gitTreeState=clean"
  done
  for t in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    want "$t" || continue
    build_one "$t" "$K8S" "sum=$(wrapsum "$WRAP")" \
      go build -trimpath -ldflags "$K8S_LDFLAGS" -o "$BIN/$t" "k8s.io/kubernetes/cmd/$t"
  done
fi

# --- kwok: Node heartbeats and Pod lifecycles from our Stage files (libs/e2e), no kubelet ---------
if want kwok; then
  WRAP="$TOOLS_DIR/kwok"; MODULE="sigs.k8s.io/kwok"
  ensure_modules "$WRAP" "$MODULE"
  V="$(pinned "$WRAP" "$MODULE")"
  build_one kwok "$V" "sum=$(wrapsum "$WRAP")" \
    go build -trimpath -ldflags "-s -w" -o "$BIN/kwok" "$MODULE/cmd/kwok"
fi

# --- Flux controllers (one wrapper each, so each gets exactly its own build list) -------------
for t in source-controller kustomize-controller; do
  want "$t" || continue
  WRAP="$TOOLS_DIR/$t"; MODULE="github.com/fluxcd/$t"
  ensure_modules "$WRAP" "$MODULE"
  V="$(pinned "$WRAP" "$MODULE")"
  build_one "$t" "$V" "sum=$(wrapsum "$WRAP")" \
    go build -trimpath -ldflags "-s -w" -o "$BIN/$t" "$MODULE"
done

# --- kustomize ----------------------------------------------------------------------------------
if want kustomize; then
  WRAP="$ROOT"; MODULE="$KUSTOMIZE_MODULE@$KUSTOMIZE_VERSION"
  build_one kustomize "$KUSTOMIZE_VERSION" "" \
    env GOBIN="$BIN" GOFLAGS= go install -trimpath -ldflags "-s -w" "$MODULE"
fi

echo
printf '%-24s | %-10s | %7s | %s\n' tool version seconds status
printf '%-24s-+-%-10s-+-%7s-+-%s\n' "------------------------" "----------" "-------" "------"
for r in "${ROWS[@]}"; do
  IFS='|' read -r n v s st <<<"$r"
  printf '%-24s | %-10s | %7s | %s\n' "$n" "$v" "$s" "$st"
done
echo "binaries: $BIN"
((FAILED == 0)) || die "some tools failed to build (see above)"

#!/usr/bin/env bash
# Installs the pinned command-line tools aks-fleet runs for real (kustomize) into the git-ignored tools cache
# .cache/tools/bin, with `go install` from the Go module proxy. Idempotent: a tool whose stamp matches its pinned
# version is skipped, so a second run takes well under a second.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${FLEET_TOOLS_BIN:-$ROOT/.cache/tools/bin}"
mkdir -p "$BIN"

# name|go package|version
TOOLS=(
  "kustomize|sigs.k8s.io/kustomize/kustomize/v5|v5.7.1"
  "actionlint|github.com/rhysd/actionlint/cmd/actionlint|v1.7.12"
)

if ! command -v go >/dev/null 2>&1; then
  echo "ERROR - go is not installed; install Go >= 1.24 (Debian: apt-get install golang, or the Go toolchain) and rerun" >&2
  exit 1
fi

for entry in "${TOOLS[@]}"; do
  IFS='|' read -r name package version <<<"$entry"
  stamp="$BIN/.$name.version"
  if [[ -x "$BIN/$name" && -f "$stamp" && "$(cat "$stamp")" == "$version" ]]; then
    echo "tools: $name $version already installed"
    continue
  fi
  echo "tools: installing $name $version ($package) ..."
  start=$(date +%s)
  if ! GOBIN="$BIN" GOFLAGS=-mod=mod go install "$package@$version"; then
    echo "ERROR - could not install $name from $package@$version (is the Go module proxy reachable?)" >&2
    exit 1
  fi
  echo "$version" >"$stamp"
  echo "tools: $name $version installed in $(($(date +%s) - start)) s"
done

#!/usr/bin/env bash
# The third-party scanner: checkov, pinned, over the synthesized ARM templates (infrastructure/, framework arm) and
# Kubernetes manifests (manifests/, framework kubernetes), with the justified skips of .checkov.yaml. Installs the
# pinned version into a venv under .cache/checkov (or $CHECKOV_VENV) the first time (python3 -m venv + pip). Exit 1
# on any failed check.
#
# Usage: scripts/checkov.sh
set -o errexit
set -o nounset
set -o pipefail

CHECKOV_VERSION="3.3.30"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${CHECKOV_VENV:-${root}/.cache/checkov}"
cd "$root"

if [ "$("${venv}/bin/checkov" --version 2>/dev/null || true)" != "$CHECKOV_VERSION" ]; then
  echo "== installing checkov ${CHECKOV_VERSION} into .cache/checkov"
  python3 -m venv "$venv"
  "${venv}/bin/pip" install --quiet --disable-pip-version-check "checkov==${CHECKOV_VERSION}"
fi

failed=0
for scan in "infrastructure arm" "manifests kubernetes"; do
  read -r directory framework <<<"$scan"
  echo "== checkov ${CHECKOV_VERSION}: ${directory}/ (${framework})"
  if ! "${venv}/bin/checkov" --config-file .checkov.yaml --directory "$directory" --framework "$framework"; then
    echo "ERROR - checkov: unjustified failures in ${directory}/; fix the generator or justify a skip" >&2
    failed=1
  fi
done
exit "$failed"

#!/usr/bin/env bash
# Downloads the pinned schema files the infra validation reads (official ARM JSON schemas, plus the Flux, Traefik and
# Secrets Store CSI CRDs) from their canonical URLs into .cache/schemas/ (git-ignored), with the layout
# FLEET_SCHEMA_LOCATION expects: arm/<apiVersion>/<file>.json, crds/... The list below is the single source of the
# pinned set (it mirrors the reference schemas' SOURCES.md). Idempotent: files already present are kept; pass
# --force to download everything again.
#
# Bounded in time: each request has a connect timeout (FETCH_CONNECT_TIMEOUT, 5 s) and a total timeout
# (FETCH_MAX_TIME, 60 s); the first host that cannot be reached stops the run with the fix, so offline it fails in
# seconds. Only the gate (`fleet validate`), `fleet infra deploy` and the tests need these files; `fleet synth` does not.
#
# Usage: scripts/fetch-schemas.sh [--force] [--dest DIR]
#   ARM_SCHEMA_BASE_URL  override the ARM base URL, e.g. the commit-pinned GitHub copy:
#     https://raw.githubusercontent.com/Azure/azure-resource-manager-schemas/a1454431151fd3e9c1b254b1a11d00c2d8474611/schemas/
set -o errexit
set -o nounset
set -o pipefail

usage() {
  echo "usage: $0 [--force] [--dest DIR]" >&2
  echo "  downloads the pinned ARM schemas and CRDs into DIR (default: <repo>/.cache/schemas)" >&2
}

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${repo_root}/.cache/schemas"
force=false
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=true ;;
    --dest) dest="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage; exit 2 ;;
  esac
  shift
done

# Azure/azure-resource-manager-schemas main@a1454431151fd3e9c1b254b1a11d00c2d8474611: arm/<rel> is served as <base><rel>.
arm_base="${ARM_SCHEMA_BASE_URL:-https://schema.management.azure.com/schemas/}"
ARM_FILES=(
  2015-01-01/Sendgrid.Email.json
  2015-02-01-preview/Microsoft.Logic.json
  2016-06-01/Microsoft.Logic.json
  2016-09-01/Microsoft.Insights.json
  2016-10-01/Microsoft.Logic.json
  2017-07-01/Microsoft.Logic.json
  2019-04-01/deploymentParameters.json
  2019-04-01/deploymentTemplate.json
  2021-05-01-preview/Microsoft.Insights.json
  2022-04-01/Microsoft.Authorization.json
  2024-03-11/Microsoft.Insights.json
  2024-06-01/Microsoft.Network.privateDns.json
  2024-11-30/Microsoft.ManagedIdentity.json
  2025-03-01/Microsoft.KubernetesConfiguration.json
  2025-04-01/Microsoft.KubernetesConfiguration.json
  2025-04-01/Microsoft.Resources.json
  2025-07-01/Microsoft.Network.NRP.json
  2025-07-01/Microsoft.OperationalInsights.json
  2025-11-01/Microsoft.ContainerRegistry.json
  2025-11-01/Microsoft.Network.FrontDoor.json
  2025-12-01/Microsoft.Cdn.json
  2026-01-01/Microsoft.Insights.json
  2026-02-01/Microsoft.KeyVault.json
  2026-05-01/Microsoft.ContainerService.Aks.json
  2026-06-01/Microsoft.Authorization.json
  common/definitions.json
)

# CRDs: "<local path under crds/> <canonical URL>" (release tags pinned in the URLs).
flux_source="https://raw.githubusercontent.com/fluxcd/source-controller/v1.9.1/config/crd/bases"
flux_kustomize="https://raw.githubusercontent.com/fluxcd/kustomize-controller/v1.9.4/config/crd/bases"
traefik="https://raw.githubusercontent.com/traefik/traefik-helm-chart/v41.3.0/traefik/crds"
csi="https://raw.githubusercontent.com/kubernetes-sigs/secrets-store-csi-driver/v1.6.0/config/crd/bases"
CRD_FILES=()
for kind in buckets externalartifacts gitrepositories helmcharts helmrepositories ocirepositories; do
  CRD_FILES+=("flux/source-controller/source.toolkit.fluxcd.io_${kind}.yaml ${flux_source}/source.toolkit.fluxcd.io_${kind}.yaml")
done
CRD_FILES+=("flux/kustomize-controller/kustomize.toolkit.fluxcd.io_kustomizations.yaml ${flux_kustomize}/kustomize.toolkit.fluxcd.io_kustomizations.yaml")
for kind in ingressroutes ingressroutetcps ingressrouteudps middlewares middlewaretcps serverstransports serverstransporttcps tlsoptions tlsstores traefikservices; do
  CRD_FILES+=("traefik/traefik.io_${kind}.yaml ${traefik}/traefik.io_${kind}.yaml")
done
CRD_FILES+=("secrets-store-csi-driver/secrets-store.csi.x-k8s.io_secretproviderclasses.yaml ${csi}/secrets-store.csi.x-k8s.io_secretproviderclasses.yaml")

connect_timeout="${FETCH_CONNECT_TIMEOUT:-5}"
max_time="${FETCH_MAX_TIME:-60}"
errors=0
fetched=0
kept=0

# fetch <local path> <url>: download to a temporary file, check it is not empty (and JSON-looking for .json), then
# move it into place, so an interrupted run never leaves a truncated schema behind.
fetch() {
  local target="${dest}/$1" url="$2"
  if [ "${force}" = false ] && [ -s "${target}" ]; then
    kept=$((kept + 1))
    return 0
  fi
  mkdir -p "$(dirname "${target}")"
  local tmp="${target}.part"
  local status=0
  curl --fail --silent --show-error --location --connect-timeout "${connect_timeout}" --max-time "${max_time}" \
    --retry 1 --retry-delay 1 --retry-max-time "${max_time}" --output "${tmp}" "${url}" || status=$?
  if [ "${status}" -ne 0 ]; then
    rm -f "${tmp}"
    # 5/6: proxy or host name not resolved, 7: connection refused, 28: timed out, 35/60: TLS failure.
    case "${status}" in
      5|6|7|28|35|60)
        local host="${url#*://}"
        host="${host%%/*}"
        echo "ERROR - ${host} is unreachable (curl exit ${status}) while fetching ${url}; stopped after ${fetched} file(s)" >&2
        echo "  fix: connect to the network and rerun scripts/fetch-schemas.sh, or set FLEET_SCHEMA_LOCATION to a folder" >&2
        echo "  with the pinned schemas (arm/, crds/; e.g. FLEET_SCHEMA_LOCATION=../shared/schemas). \`npm run synth\` needs neither." >&2
        exit 1
        ;;
    esac
    echo "ERROR - download failed (curl exit ${status}): ${url}" >&2
    errors=$((errors + 1))
    return 0
  fi
  if [ ! -s "${tmp}" ] || { [[ "${target}" == *.json ]] && ! head -c 200 "${tmp}" | grep -q '{'; }; then
    echo "ERROR - unexpected content from ${url} (not a JSON/YAML schema)" >&2
    rm -f "${tmp}"
    errors=$((errors + 1))
    return 0
  fi
  mv "${tmp}" "${target}"
  fetched=$((fetched + 1))
}

for file in "${ARM_FILES[@]}"; do
  fetch "arm/${file}" "${arm_base}${file}"
done
for entry in "${CRD_FILES[@]}"; do
  fetch "crds/${entry%% *}" "${entry#* }"
done

echo "schemas in ${dest}: ${fetched} downloaded, ${kept} already present, ${errors} failed"
if [ "${errors}" -gt 0 ]; then
  echo "ERROR - ${errors} file(s) could not be downloaded; rerun when online, or set FLEET_SCHEMA_LOCATION to a folder with the schemas" >&2
  exit 1
fi

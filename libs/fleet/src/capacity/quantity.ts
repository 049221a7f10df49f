/**
 * Kubernetes resource quantities (`500m`, `1.5`, `128Mi`, `1e3`, `.5Gi`) as numbers — CPU in cores, memory in bytes.
 * The one parser of the project: the gate's container-limit policy, the failover capacity check and the e2e
 * comparison of live objects all read quantities through it.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:[eE]([+-]?\d+))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

const SUFFIX: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The quantity's value (`500m` → 0.5, `1Gi` → 1073741824); NaN for anything that is not a quantity. */
export function parseQuantity(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return Number.NaN;
  const match = QUANTITY.exec(value.trim());
  if (!match) return Number.NaN;
  return Number(match[1]) * 10 ** Number(match[2] ?? 0) * (match[3] ? SUFFIX[match[3]]! : 1);
}

/** CPU in millicores (`250m` → 250, `2` → 2000); 0 when unset. */
export function cpuMillicores(quantity: string | number | undefined): number {
  return quantity === undefined ? 0 : Math.round(parseQuantity(quantity) * 1000);
}

/** Memory in MiB (`640Mi` → 640, `1Gi` → 1024); 0 when unset. */
export function memoryMiB(quantity: string | number | undefined): number {
  return quantity === undefined ? 0 : parseQuantity(quantity) / 2 ** 20;
}

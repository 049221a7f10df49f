/**
 * Which Kubernetes minors AKS serves, as one dated table: AKS's release calendar (end of standard support and end of
 * long-term support per minor). A cluster runs a minor in standard support on the table's date, or one still under
 * long-term support when it opts into LTS (Premium tier + the `AKSLongTermSupport` plan). Refresh the table from the
 * source when AKS publishes a new minor; the check uses the table's date, never the clock, so a build stays
 * reproducible.
 */

/** Where the dates come from. */
export const KUBERNETES_SUPPORT_SOURCE = 'https://learn.microsoft.com/azure/aks/supported-kubernetes-versions';

/** The day the table was read from the source (ISO date): "in support" means in support on this day. */
export const KUBERNETES_SUPPORT_AS_OF = '2026-11-29';

export interface KubernetesMinorSupport {
  /** Minor version, e.g. "1.35". */
  readonly minor: string;
  /** AKS general availability (first day of the month the calendar names). */
  readonly aksGa: string;
  /** Last day of AKS standard (community) support. */
  readonly endOfStandardSupport: string;
  /** Last day of AKS long-term support (Premium tier + AKSLongTermSupport). */
  readonly endOfLongTermSupport: string;
}

/** AKS release calendar (end dates are the last day of the month the calendar names, unless it names a day). */
export const KUBERNETES_SUPPORT: readonly KubernetesMinorSupport[] = [
  { minor: '1.29', aksGa: '2024-03-01', endOfStandardSupport: '2025-03-31', endOfLongTermSupport: '2026-04-30' },
  { minor: '1.30', aksGa: '2024-07-01', endOfStandardSupport: '2025-08-22', endOfLongTermSupport: '2026-07-31' },
  { minor: '1.31', aksGa: '2024-11-01', endOfStandardSupport: '2025-11-01', endOfLongTermSupport: '2026-11-30' },
  { minor: '1.32', aksGa: '2025-04-01', endOfStandardSupport: '2026-03-31', endOfLongTermSupport: '2027-03-31' },
  { minor: '1.33', aksGa: '2025-06-01', endOfStandardSupport: '2026-07-31', endOfLongTermSupport: '2027-07-31' },
  { minor: '1.34', aksGa: '2025-11-01', endOfStandardSupport: '2026-11-30', endOfLongTermSupport: '2027-11-30' },
  { minor: '1.35', aksGa: '2026-03-01', endOfStandardSupport: '2027-03-31', endOfLongTermSupport: '2028-03-31' },
  { minor: '1.36', aksGa: '2026-06-01', endOfStandardSupport: '2027-06-30', endOfLongTermSupport: '2028-06-30' },
  { minor: '1.37', aksGa: '2026-10-01', endOfStandardSupport: '2027-10-31', endOfLongTermSupport: '2028-10-31' },
];

/** The minor the default fleet and new clusters use (the AKS baseline pins it too). */
export const DEFAULT_KUBERNETES_MINOR = '1.35';

/** AKS support plans of a managed cluster (`properties.supportPlan`). */
export const SUPPORT_PLANS = ['KubernetesOfficial', 'AKSLongTermSupport'] as const;
export type SupportPlan = (typeof SUPPORT_PLANS)[number];

/** Minors in standard support on the table's date. */
export function standardSupportMinors(asOf: string = KUBERNETES_SUPPORT_AS_OF): string[] {
  return KUBERNETES_SUPPORT.filter((m) => m.aksGa <= asOf && asOf <= m.endOfStandardSupport).map((m) => m.minor);
}

/** Minors under long-term support on the table's date (standard support included: LTS covers both years). */
export function longTermSupportMinors(asOf: string = KUBERNETES_SUPPORT_AS_OF): string[] {
  return KUBERNETES_SUPPORT.filter((m) => m.aksGa <= asOf && asOf <= m.endOfLongTermSupport).map((m) => m.minor);
}

/** The minor ("1.35") of a version ("1.35" or "1.35.2"). */
export function minorOf(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

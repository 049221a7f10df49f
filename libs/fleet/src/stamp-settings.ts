/**
 * Settings of the cluster stamp that the model's capacity rules depend on: defined here once, used by the stamp
 * templates (libs/infra) and by the rules that size subnets for them.
 */

/** Azure CNI (flat): every node takes one VNet address plus one per pod. */
export const AKS_NODE_POOL_NETWORK = {
  /** Pods per node (agentPoolProfiles maxPods). */
  maxPods: 30,
  /** Extra nodes during an upgrade, as a percentage of the pool (upgradeSettings maxSurge). */
  maxSurgePercent: 33,
} as const;

/** Autoscale maximum of the App Gateway WAF_v2; each instance takes one address of its subnet. */
export const APP_GATEWAY_MAX_INSTANCES = 10;

/** Addresses Azure keeps in every subnet: network, .1, .2, .3 and broadcast. */
export const AZURE_RESERVED_ADDRESSES_PER_SUBNET = 5;

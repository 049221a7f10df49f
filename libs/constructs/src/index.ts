export * from './psa-namespace.ts';
export * from './default-deny-network-policy.ts';
export * from './flux-kustomization.ts';

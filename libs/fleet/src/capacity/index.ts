export * from './vm-sizes.ts';
export * from './node-capacity.ts';
export * from './failover-plan.ts';
export * from './quantity.ts';

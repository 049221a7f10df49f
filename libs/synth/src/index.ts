export * from './kubernetes-object.ts';
export * from './yaml-format.ts';
export * from './validate-objects.ts';
export * from './render-cluster.ts';
export * from './layout.ts';
export * from './tree-transaction.ts';
export * from './synthesize.ts';
export * from './render-pool.ts';

export * from './cluster-context.ts';
export * from './cluster-definitions.ts';
export * from './crd-json-schema.ts';
export * from './layers.ts';
export * from './object-validators.ts';

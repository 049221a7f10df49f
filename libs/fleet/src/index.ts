export * from './errors.ts';
export * from './schema.ts';
export * from './parse.ts';
export * from './load.ts';
export * from './names.ts';
export { AZURE_REGIONS } from './azure-regions.ts';
export * from './azure-names.ts';
export * from './rollout.ts';

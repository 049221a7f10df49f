export * from './sort-keys.ts';
export * from './schema-location.ts';
export * from './tool-location.ts';
export * from './closest-name.ts';
export * from './deep-freeze.ts';
export * from './yaml-core-schema.ts';
export * from './content-cache.ts';

export * from './sort-keys.ts';
export * from './schema-location.ts';
export * from './tool-location.ts';
export * from './closest-name.ts';
export * from './content-cache.ts';

export * from './sort-keys.ts';

export * from './finding.ts';
export * from './rule.ts';
export * from './tree.ts';
export * from './quantity.ts';
export * from './validate.ts';
export { RULES } from './rules/index.ts';
export { API_LIFECYCLE } from './rules/deprecated-api-rules.ts';
export * from './diff/fleet-diff.ts';
export * from './diff/render-diff.ts';

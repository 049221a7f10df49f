#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx fleet …` works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
// `fleet … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));

/**
 * Test helper run as a separate process: takes the run lock of <root>, prints its holder as one JSON line, then
 * either holds it until its stdin closes (`hold`) or dies with SIGKILL while holding it (`die`), like a killed run.
 * usage: node --import tsx hold-run-lock.ts <root> hold|die
 */
import { acquireRunLock } from '../run-lock.ts';

const [root, mode] = process.argv.slice(2);
const lock = acquireRunLock(root!, 0);
process.stdout.write(`${JSON.stringify(lock.holder)}\n`);
if (mode === 'die') process.kill(process.pid, 'SIGKILL');
process.stdin.resume();
process.stdin.on('end', () => {
  lock.release();
  process.exit(0);
});

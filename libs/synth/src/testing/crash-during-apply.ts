/**
 * Test helper run as a separate process: applies a plan and kills itself with SIGKILL just before operation N,
 * the way a power cut or OOM kill would stop `fleet synth` mid-commit.
 * usage: node --import tsx crash-during-apply.ts <root> <plan.json> <operation index>
 */
import { readFileSync } from 'node:fs';
import { applyTree, type TreePlan } from '../tree-transaction.ts';

const [root, planFile, index] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile!, 'utf8')) as TreePlan;
applyTree(root!, plan, {
  beforeOperation: (i) => {
    if (i === Number(index)) process.kill(process.pid, 'SIGKILL');
  },
});

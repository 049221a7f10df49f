/**
 * The command table. A new command is one file in this folder exporting a `Command` (name, summary, help text,
 * flags, run) and one line below; help, flag checking, `-o` and completion follow from it.
 */
import type { Command } from '../command.ts';
import { completionCommand } from './completion.ts';
import { diffCommand } from './diff.ts';
import { failoverCommand } from './failover.ts';
import { graphCommand } from './graph.ts';
import { infraCommand } from './infra.ts';
import { modelCommand } from './model.ts';
import { rolloutCommand } from './rollout.ts';
import { statusCommand } from './status.ts';
import { synthCommand } from './synth.ts';
import { validateCommand } from './validate.ts';

export const COMMANDS: readonly Command[] = [
  synthCommand,
  validateCommand,
  diffCommand,
  infraCommand,
  modelCommand,
  failoverCommand,
  statusCommand,
  rolloutCommand,
  graphCommand,
  completionCommand,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name);
}

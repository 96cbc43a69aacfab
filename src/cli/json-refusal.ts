// `--json` is the twin of every run: a script reads NDJSON on stdout and expects `run.finished` last, even when the
// command is refused before the engine starts (a project directory that does not exist, a bad flag, a project
// without GlowWorm). The refusal becomes the same envelope a run's own failure has: run.started, the error as a
// notice (message and hint), for an upgrade upgrade.failed ("Nothing was changed"), and run.finished with the
// outcome that names the exit code.
import type { CommandName } from '../engine/events.js';
import { runCommand } from '../engine/commands/run-command.js';
import { closingFailure } from '../engine/commands/upgrade-outcome.js';
import { drive } from './drive.js';

/** The commands whose --json output is an event stream (status prints one report document instead). */
export const EVENT_STREAM_COMMANDS: ReadonlySet<string> = new Set<CommandName>(['upgrade', 'backup', 'restore', 'recover', 'reset']);

export function jsonRefusal(command: CommandName, error: unknown): Promise<number> {
  // An upgrade ends with upgrade.failed before run.finished, whatever stopped it ("Nothing was changed").
  const close = command === 'upgrade' ? { closeAfterError: closingFailure } : {};
  return drive(runCommand(command, process.cwd(), async () => { throw error; }, close), 'json');
}

// Consume an engine run in the chosen mode and turn its outcome into the exit code. Ctrl-C aborts the run at its
// next safe point (the engine journals where it stopped); a second Ctrl-C leaves at once.
import type { EngineEvent, RunOutcome } from '../engine/events.js';
import { writeJson } from '../headless/json-writer.js';
import { writePlain } from '../headless/plain-writer.js';
import type { Mode } from './args.js';
import { exitCodeFor, ExitCode } from './exit-codes.js';
import { surviveHangup } from './hangup.js';
import type { NotifyTarget } from './notify/targets.js';
import { followRun } from './run-followup.js';

export function interruptSignal(): AbortSignal {
  surviveHangup();
  const controller = new AbortController();
  let count = 0;
  process.on('SIGINT', () => {
    count += 1;
    if (count === 1) {
      process.stderr.write('\nStopping at the next safe point… (Ctrl-C again to quit now; `glowworm upgrade --resume` continues)\n');
      controller.abort();
    } else process.exit(ExitCode.aborted);
  });
  process.on('SIGTERM', () => controller.abort());
  return controller.signal;
}

/** Tap the stream for `run.finished` so the exit code follows the engine's outcome in every mode. */
async function* recordOutcome(events: AsyncIterable<EngineEvent>, seen: { outcome: RunOutcome | null }): AsyncGenerator<EngineEvent> {
  for await (const e of events) {
    if (e.type === 'run.finished') seen.outcome = e.outcome;
    yield e;
  }
}

/** The run's record is kept for `glowworm history` and its outcome sent to `notify`: neither changes the exit code. */
/** `written` (plain mode) hears of each event once its line is out: see written-events.ts. */
export async function drive(events: AsyncIterable<EngineEvent>, mode: Exclude<Mode, 'tui'>, notify: NotifyTarget[] = [], written?: (event: EngineEvent) => void): Promise<number> {
  const seen: { outcome: RunOutcome | null } = { outcome: null };
  const followed = followRun(events, notify);
  const tapped = recordOutcome(followed.events, seen);
  if (mode === 'json') await writeJson(tapped);
  else await writePlain(tapped, process.stdout, written);
  await followed.finish();
  return seen.outcome ? exitCodeFor(seen.outcome) : ExitCode.bug;
}

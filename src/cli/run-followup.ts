// After a run, from the CLI (the engine's run code stays as it is): keep its run record for `glowworm history`, and
// send its outcome to the notification targets. Both tap the same, already redacted, event stream the writers read.
import { basename } from 'node:path';
import type { EngineEvent } from '../engine/events.js';
import { wasUpToDate } from '../engine/events.js';
import { RunRecorder, writeRunRecord, type RunRecord } from '../engine/history/run-record.js';
import { deliver } from './notify/deliver.js';
import { runNotification } from './notify/message.js';
import type { NotifyTarget } from './notify/targets.js';

export interface FollowedRun {
  events: AsyncIterable<EngineEvent>;
  /** Once the events are consumed: writes the record, notifies; never throws (a warning on stderr instead). */
  finish(): Promise<RunRecord | null>;
}

export function followRun(source: AsyncIterable<EngineEvent>, notify: NotifyTarget[] = []): FollowedRun {
  const recorder = new RunRecorder();
  let record: RunRecord | null = null;
  let upToDate = false;
  async function* tap(): AsyncGenerator<EngineEvent> {
    for await (const e of source) {
      if (e.type === 'upgrade.completed') upToDate = wasUpToDate(e);
      record = recorder.see(e) ?? record;
      yield e;
    }
  }
  return {
    events: tap(),
    async finish() {
      if (!record) return null;
      const done: RunRecord = record;
      await writeRunRecord(done).catch((error: Error) => process.stderr.write(`glowworm: warning: could not keep the run's record for \`glowworm history\`: ${error.message}\n`));
      // Nothing happened when it was already up to date: a timer that runs every hour must not page anyone for that.
      if (notify.length && !upToDate) await deliver(notify, runNotification(done, basename(done.projectDir)));
      return done;
    },
  };
}

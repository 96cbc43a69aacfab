// The envelope every engine command shares: a run id, the event stream, `run.started` first and `run.finished` last
// (with the outcome the CLI turns into an exit code), and one place where an escaped error becomes an event.
import { randomBytes } from 'node:crypto';
import { EventChannel } from '../event-channel.js';
import type { CommandName, EngineEvent, EventPayload, RunOutcome } from '../events.js';
import { errorInfo, toGlowwormError } from '../errors.js';
import { Redactor } from '../secrets.js';

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

export function outcomeForError(error: unknown): RunOutcome {
  const e = toGlowwormError(error);
  if (e.code === 'lock.held') return 'locked';
  switch (e.kind) {
    case 'user':
      return 'usage';
    case 'external':
      return 'external';
    case 'aborted':
      return 'aborted';
    case 'bug':
      return 'bug';
  }
}

export interface CommandRun {
  runId: string;
  channel: EventChannel;
  redactor: Redactor;
}

export function runCommand(
  command: CommandName,
  projectDir: string,
  body: (run: CommandRun) => Promise<RunOutcome>,
  opts: {
    runId?: string;
    resumed?: boolean;
    redactor?: Redactor;
    /** The command's own last word when its body threw, said after the error's notice and before `run.finished`. */
    closeAfterError?: (run: CommandRun, error: unknown) => EventPayload | null;
  } = {},
): AsyncIterable<EngineEvent> {
  const runId = opts.runId ?? newRunId();
  const redactor = opts.redactor ?? new Redactor();
  const channel = new EventChannel(runId, redactor);
  queueMicrotask(async () => {
    channel.emit({ type: 'run.started', command, projectDir, resumed: opts.resumed ?? false });
    let outcome: RunOutcome;
    try {
      outcome = await body({ runId, channel, redactor });
    } catch (error) {
      const info = errorInfo(error);
      channel.emit({ type: 'notice', level: 'error', message: info.hint ? `${info.message}\n${info.hint}` : info.message });
      outcome = outcomeForError(error);
      const closing = opts.closeAfterError?.({ runId, channel, redactor }, error);
      if (closing) channel.emit(closing);
    }
    channel.emit({ type: 'run.finished', ok: outcome === 'ok', outcome });
    channel.close();
  });
  return channel;
}

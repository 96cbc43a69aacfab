// A fake of the EngineApi port for the UI's unit tests (the e2e test uses the real engine). Runs are scripted bodies
// inside the engine's real run envelope (run.started … run.finished, a thrown error becomes a notice and an outcome),
// so the screens see exactly the stream shape the real engine produces.
import type { EngineApi } from '../engine/api.js';
import { runCommand } from '../engine/commands/run-command.js';
import type { Emit } from '../engine/event-channel.js';
import type { CommandName, EngineEvent, RunOutcome } from '../engine/events.js';

export function scriptedRun(command: CommandName, body: (emit: Emit) => Promise<RunOutcome>): AsyncIterable<EngineEvent> {
  return runCommand(command, '/tmp/gw-demo', ({ channel }) => body(channel.emit));
}

const notScripted = (name: string) => () => {
  throw new Error(`fake engine: ${name} was not scripted for this test`);
};

export function fakeEngine(parts: Partial<EngineApi>): EngineApi {
  return {
    upgrade: notScripted('upgrade'),
    status: notScripted('status'),
    alembic: notScripted('alembic'),
    verifySchema: notScripted('verifySchema'),
    migrate: notScripted('migrate'),
    recover: notScripted('recover'),
    logs: notScripted('logs'),
    listBackups: notScripted('listBackups'),
    backup: notScripted('backup'),
    restore: notScripted('restore'),
    reset: notScripted('reset'),
    check: notScripted('check'),
    history: notScripted('history'),
    ...parts,
  };
}

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../events.js';
import { readRunRecords, RunRecorder, writeRunRecord, type RunRecord } from './run-record.js';

const base = { runId: 'r1', step: 'run' };

describe('RunRecorder', () => {
  it('times each migration from the previous one (the first from its step) and keeps how the run ended', () => {
    const r = new RunRecorder();
    const events = [
      { ...base, ts: 1000, type: 'run.started', command: 'upgrade', projectDir: '/p', resumed: false },
      { ...base, step: '07-wait-migrations:glowworm-backend', ts: 2000, type: 'step.started', title: 'wait' },
      { ...base, step: '07-wait-migrations:glowworm-backend', ts: 2500, type: 'migration.applied', revision: 'a', from: null, message: 'one' },
      { ...base, step: '07-wait-migrations:glowworm-backend', ts: 4000, type: 'migration.applied', revision: 'b', from: 'a', message: 'two' },
      { ...base, step: '07-wait-migrations:glowworm-backend', ts: 4100, type: 'migration.failed', revision: 'c', message: '(1064) syntax' },
      { ...base, ts: 9000, type: 'upgrade.failed', error: { kind: 'external', code: 'migrate.failed', message: 'failed' }, rolledBack: true, state: 'Running 1.1.0 again' },
      { ...base, ts: 9001, type: 'run.finished', ok: false, outcome: 'failed-rolled-back' },
    ] as EngineEvent[];
    const records = events.map((e) => r.see(e));
    expect(records.slice(0, -1).every((x) => x === null)).toBe(true);
    expect(records.at(-1)).toMatchObject({
      runId: 'r1', command: 'upgrade', outcome: 'failed-rolled-back', durationMs: 8001, failedRevision: 'c', error: '(1064) syntax', state: 'Running 1.1.0 again',
      migrations: [
        { revision: 'a', durationMs: 500, ok: true },
        { revision: 'b', durationMs: 1500, ok: true },
        { revision: 'c', durationMs: 100, ok: false },
      ],
    });
  });
});

describe('writeRunRecord', () => {
  it('writes beside the journals, and creates nothing in a project without .glowworm/', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-record-'));
    const record = { format: 1, runId: 'r2', command: 'backup', projectDir: join(dir, 'missing'), startedAt: '', endedAt: '', outcome: 'usage', fromVersion: null, toVersion: null, durationMs: 1, downtimeMs: null, backupPath: null, failedRevision: null, error: null, state: null, migrations: [], rehearsal: [] } satisfies RunRecord;
    expect(await writeRunRecord({ ...record })).toBe(false);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
    mkdirSync(join(dir, '.glowworm'));
    expect(await writeRunRecord({ ...record, projectDir: dir })).toBe(true);
    expect((await readRunRecords(dir)).get('r2')).toMatchObject({ command: 'backup', outcome: 'usage' });
    rmSync(dir, { recursive: true, force: true });
  });
});

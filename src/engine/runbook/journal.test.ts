import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal, runsDir } from './journal.js';
import { Redactor } from '../secrets.js';

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'gw-journal-'));
}

describe('Journal', () => {
  it('records started before and completed after, on disk at each step', async () => {
    const dir = await tmp();
    const j = await Journal.create(dir, 'r1', 'upgrade', new Redactor());
    await j.stepStarted('pull', 'Pull images');
    const mid = JSON.parse(await readFile(j.file, 'utf8'));
    expect(mid.steps).toEqual([expect.objectContaining({ id: 'pull', status: 'started' })]);
    await j.stepEnded('pull', 'completed', { summary: '2 images' });
    const after = JSON.parse(await readFile(j.file, 'utf8'));
    expect(after.steps[0]).toMatchObject({ id: 'pull', status: 'completed', summary: '2 images' });
    expect(j.isCompleted('pull')).toBe(true);
    expect(j.isCompleted('backup')).toBe(false);
    expect((await readdir(runsDir(dir))).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('never writes a known secret', async () => {
    const dir = await tmp();
    const r = new Redactor();
    r.add('pa/ss+word=');
    const j = await Journal.create(dir, 'r2', 'upgrade', r);
    await j.setState('note', 'connected with pa/ss+word= to the db');
    const text = await readFile(j.file, 'utf8');
    expect(text).not.toContain('pa/ss+word=');
    expect(text).toContain('connected with *** to the db');
  });

  it('finds the newest unfinished run of a command and ignores finished ones', async () => {
    const dir = await tmp();
    const r = new Redactor();
    const a = await Journal.create(dir, '20260101-a', 'upgrade', r);
    await a.finish('completed');
    const b = await Journal.create(dir, '20260102-b', 'upgrade', r);
    await b.stepStarted('recreate:glowworm-backend', 'Recreate');
    const c = await Journal.create(dir, '20260103-c', 'backup', r);
    void c;
    const found = await Journal.findUnfinished(dir, 'upgrade', r);
    expect(found?.runId).toBe('20260102-b');
    expect(found?.steps.at(-1)).toMatchObject({ status: 'started' });
    await b.finish('interrupted');
    expect((await Journal.findUnfinished(dir, 'upgrade', r))?.runId).toBe('20260102-b');
    await b.finish('rolled-back');
    expect(await Journal.findUnfinished(dir, 'upgrade', r)).toBeNull();
  });
});

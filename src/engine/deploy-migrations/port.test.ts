// The port as the upgrade runbook drives it: preview on the texts it read and the facts it gathered, apply, (retag,)
// settle, revert on rollback.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../secrets.js';
import { DeployJournal, journalPath } from './deploy-journal.js';
import { EnvFile } from './env-edit.js';
import { deploymentMigrations } from './port.js';
import { makeTempProject, snapshot, type TempProject } from './temp-project.fixture.js';
import { SCHEDULER_MODULE, SIGNING_MODULE, TEST_MIGRATION_NAMES as NAMES, TEST_MIGRATIONS, testFacts } from './test-migrations.fixture.js';

const BOTH = testFacts();
const TARGET = 'nickstephens/glowworm-backend:test';

async function texts(project: TempProject) {
  return { compose: await readFile(project.composeFile, 'utf8'), env: await readFile(project.envFile, 'utf8') };
}

function portFor(project: TempProject, runId: string, redactor?: Redactor) {
  const workDir = join(project.dir, '.glowworm', 'runs', runId);
  return deploymentMigrations(project.dir, project.composeFile, project.envFile, workDir, {
    migrations: TEST_MIGRATIONS,
    ...(redactor ? { redactor } : {}),
  });
}

describe('deploymentMigrations (the runbook port)', () => {
  it('says which image files the migrations ask about', async () => {
    expect(await portFor(await makeTempProject(), 'r0').imageFiles()).toEqual([SIGNING_MODULE, SCHEDULER_MODULE].sort());
  });

  it('applies exactly the previewed bytes, secret included, and revert puts the originals back', async () => {
    const project = await makeTempProject();
    const before = await snapshot(project);
    const redactor = new Redactor();
    const port = portFor(project, '20261125-150000-ab12', redactor);

    const previewed = await port.preview(BOTH, await texts(project), TARGET);
    expect(previewed.changes.map((c) => c.name)).toEqual(NAMES);
    expect(previewed.changes.map((c) => Object.keys(c).sort())).toEqual([['description', 'diff', 'name', 'notes'], ['description', 'diff', 'name', 'notes']]);
    const secret = EnvFile.parse(previewed.env).get('DISPLAY_SIGNING_KEY')!;
    expect(secret).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(previewed.changes.map((c) => c.diff).join('')).not.toContain(secret);
    expect(redactor.redactText(secret)).toBe('***');
    expect(await snapshot(project)).toEqual(before);

    expect(await port.apply()).toEqual(NAMES);
    expect(await texts(project)).toEqual({ compose: previewed.compose, env: previewed.env });
    const journal = JSON.parse(await readFile(journalPath(project.dir), 'utf8')) as { events: { run: string }[]; runs: { id: string; target: string }[] };
    expect(new Set(journal.events.map((e) => e.run))).toEqual(new Set(['20261125-150000-ab12']));
    expect(journal.runs.map((r) => [r.id, r.target])).toEqual([['20261125-150000-ab12', TARGET]]);

    // The engine retags after apply; the rollback's revert must still give the user's bytes back.
    await writeFile(project.composeFile, previewed.compose.replace('glowworm-backend:test"', 'glowworm-backend:sha-4f2c"'));
    expect(await port.revert()).toEqual([...NAMES].reverse());
    expect(await snapshot(project)).toEqual(before);
    expect(await port.revert()).toEqual([]);
  });

  it('settle records the retagged files as the run’s result', async () => {
    const project = await makeTempProject();
    const port = portFor(project, 'r-settle');
    const previewed = await port.preview(BOTH, await texts(project));
    await port.apply();
    await writeFile(project.composeFile, previewed.compose.replace('glowworm-frontend:test', 'glowworm-frontend:sha-4f2c'));
    const hashOf = async () => (JSON.parse(await readFile(journalPath(project.dir), 'utf8')) as { runs: { after: { compose: string } }[] }).runs[0]!.after.compose;
    const applied = await hashOf();
    await port.settle();
    expect(await hashOf()).not.toBe(applied);
  });

  it('refuses apply without a preview, and applies nothing when the facts need nothing', async () => {
    const project = await makeTempProject();
    await expect(portFor(project, 'r1').apply()).rejects.toMatchObject({ kind: 'bug', code: 'deploy-migrations.no-preview' });
    const port = portFor(project, 'r2');
    const files = await texts(project);
    expect(await port.preview(testFacts({}), files)).toEqual({ changes: [], ...files });
    expect(await port.apply()).toEqual([]);
    expect(await port.revert()).toEqual([]);
  });

  it('lets a resumed run go on past its own interrupted migration, and no other run', async () => {
    const project = await makeTempProject();
    const journal = await DeployJournal.open(journalPath(project.dir));
    journal.run = 'run-1';
    await journal.record(NAMES[0]!, 'up', 'started');

    await expect(portFor(project, 'run-2').preview(BOTH, await texts(project))).rejects.toMatchObject({
      code: 'deploy-migrations.interrupted',
    });
    const resumed = portFor(project, 'run-1');
    const previewed = await resumed.preview(BOTH, await texts(project));
    expect(previewed.changes.map((c) => c.name)).toEqual(NAMES);
    expect(await resumed.apply()).toEqual(NAMES);
    const events = JSON.parse(await readFile(journalPath(project.dir), 'utf8')).events as { name: string; status: string }[];
    expect(events.map((e) => `${e.name} ${e.status}`).slice(0, 3)).toEqual([`${NAMES[0]} started`, `${NAMES[0]} failed`, `${NAMES[0]} started`]);
  });
});

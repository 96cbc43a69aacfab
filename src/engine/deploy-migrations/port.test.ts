// The port as the upgrade runbook drives it: preview on the texts it read, apply, (retag,) revert on rollback.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../secrets.js';
import { DeployJournal, journalPath } from './deploy-journal.js';
import { EnvFile } from './env-edit.js';
import { deploymentMigrations } from './port.js';
import { makeTempProject, snapshot, type TempProject } from './temp-project.fixture.js';

const SHIPPED = ['001-2.0.0-display-signing-key', '002-2.0.0-scheduler-service'];

async function texts(project: TempProject) {
  return { compose: await readFile(project.composeFile, 'utf8'), env: await readFile(project.envFile, 'utf8') };
}

function portFor(project: TempProject, runId: string, redactor?: Redactor) {
  const workDir = join(project.dir, '.glowworm', 'runs', runId);
  return deploymentMigrations(project.dir, project.composeFile, project.envFile, workDir, redactor ? { redactor } : {});
}

describe('deploymentMigrations (the runbook port)', () => {
  it('applies exactly the previewed bytes, secret included, and revert puts the originals back', async () => {
    const project = await makeTempProject();
    const before = await snapshot(project);
    const redactor = new Redactor();
    const port = portFor(project, '20261125-150000-ab12', redactor);

    const previewed = await port.preview('2.0.0', await texts(project));
    expect(previewed.changes.map((c) => c.name)).toEqual(SHIPPED);
    const secret = EnvFile.parse(previewed.env).get('DISPLAY_SIGNING_KEY')!;
    expect(secret).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(previewed.changes.map((c) => c.diff).join('')).not.toContain(secret);
    expect(redactor.redactText(secret)).toBe('***');
    expect(await snapshot(project)).toEqual(before);

    expect(await port.apply('2.0.0')).toEqual(SHIPPED);
    expect(await texts(project)).toEqual({ compose: previewed.compose, env: previewed.env });
    const journal = JSON.parse(await readFile(journalPath(project.dir), 'utf8')) as { events: { run: string }[] };
    expect(new Set(journal.events.map((e) => e.run))).toEqual(new Set(['20261125-150000-ab12']));

    // The engine retags after apply; the rollback's revert must still give the user's bytes back.
    await writeFile(project.composeFile, previewed.compose.replace('glowworm-backend:test"', 'glowworm-backend:2.0.0"'));
    expect(await port.revert()).toEqual([...SHIPPED].reverse());
    expect(await snapshot(project)).toEqual(before);
    expect(await port.revert()).toEqual([]);
  });

  it('refuses apply without a preview, and skips a target that is not a version', async () => {
    const project = await makeTempProject();
    await expect(portFor(project, 'r1').apply('2.0.0')).rejects.toMatchObject({ kind: 'bug', code: 'deploy-migrations.no-preview' });
    const port = portFor(project, 'r2');
    const files = await texts(project);
    expect(await port.preview('test', files)).toEqual({ changes: [], ...files });
    expect(await port.apply('test')).toEqual([]);
  });

  it('lets a resumed run go on past its own interrupted migration, and no other run', async () => {
    const project = await makeTempProject();
    const journal = await DeployJournal.open(journalPath(project.dir));
    journal.run = 'run-1';
    await journal.record(SHIPPED[0]!, 'up', 'started');

    await expect(portFor(project, 'run-2').preview('2.0.0', await texts(project))).rejects.toMatchObject({
      code: 'deploy-migrations.interrupted',
    });
    const resumed = portFor(project, 'run-1');
    const previewed = await resumed.preview('2.0.0', await texts(project));
    expect(previewed.changes.map((c) => c.name)).toEqual(SHIPPED);
    expect(await resumed.apply('2.0.0')).toEqual(SHIPPED);
    const events = JSON.parse(await readFile(journalPath(project.dir), 'utf8')).events as { name: string; status: string }[];
    expect(events.map((e) => `${e.name} ${e.status}`).slice(0, 3)).toEqual([
      `${SHIPPED[0]} started`, `${SHIPPED[0]} failed`, `${SHIPPED[0]} started`,
    ]);
  });
});

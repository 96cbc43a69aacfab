import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../secrets.js';
import { ComposeDocument } from './compose-edit.js';
import { journalPath } from './deploy-journal.js';
import { EnvFile } from './env-edit.js';
import { ENV_SECRETS } from './glowworm-stack.fixture.js';
import { pendingDeployChanges } from './pending-deploy-changes.js';
import { DeployMigrationRunner } from './runner.js';
import { makeTempProject, snapshot } from './temp-project.fixture.js';

const SHIPPED = ['001-2.0.0-display-signing-key', '002-2.0.0-scheduler-service'];
const BASE64_SECRET = /[A-Za-z0-9+/]{43}=/;

interface JournalFile {
  events: { name: string; direction: string; status: string; run: string }[];
  runs: { id: string; originals: { dir: string } }[];
}

async function readJournal(dir: string): Promise<JournalFile> {
  return JSON.parse(await readFile(journalPath(dir), 'utf8')) as JournalFile;
}

describe('DeployMigrationRunner', () => {
  it('lists the migrations a target version needs, in order', async () => {
    const project = await makeTempProject();
    const runner = new DeployMigrationRunner({ composeFile: project.composeFile });
    expect(await runner.pending('1.9.9')).toEqual([]);
    expect((await runner.pending('2.0.0')).map((m) => m.name)).toEqual(SHIPPED);
    expect((await runner.pending('v2.1.0')).map((m) => m.version)).toEqual(['2.0.0', '2.0.0']);
    // A prerelease of 2.0.0 comes before 2.0.0: its migrations are not due yet.
    expect(await runner.pending('2.0.0-rc.1')).toEqual([]);
    await expect(runner.pending('latest')).rejects.toMatchObject({ code: 'deploy-migrations.not-a-version' });
  });

  it('previews a redacted diff of both files without writing anything', async () => {
    const project = await makeTempProject({ containerPrefix: 't1-' });
    const before = await snapshot(project);
    const previews = await new DeployMigrationRunner({ composeFile: project.composeFile }).preview('2.0.0');
    expect(previews.map((p) => p.name)).toEqual(SHIPPED);
    const [signingKey, scheduler] = previews;
    expect(signingKey!.diff).toContain('--- a/.env\n+++ b/.env\n');
    expect(signingKey!.diff).toContain("+# added by glowworm deployment migration 001-2.0.0-display-signing-key\n+DISPLAY_SIGNING_KEY=***\n");
    expect(signingKey!.diff).toContain('+      DISPLAY_SIGNING_KEY: ${DISPLAY_SIGNING_KEY}\n');
    expect(scheduler!.diff).toContain('+    container_name: t1-glowworm-scheduler\n');
    expect(scheduler!.diff).toContain('+    command: celery -A celery_app beat --loglevel=info\n');
    const allText = previews.map((p) => p.diff + p.notes.join('\n')).join('\n');
    // No secret: neither the generated one nor the passwords `.env` holds (the context lines show .env's last lines).
    expect(allText).not.toMatch(BASE64_SECRET);
    for (const secret of Object.values(ENV_SECRETS)) expect(allText).not.toContain(secret);
    expect(await snapshot(project)).toEqual(before);
    await expect(stat(join(project.dir, '.glowworm'))).rejects.toMatchObject({ code: 'ENOENT' });
    // The engine's hook is the same preview in the Plan's shape.
    const changes = await pendingDeployChanges({ composeFile: project.composeFile }, '2.0.0');
    expect(changes.map((c) => Object.keys(c).sort())).toEqual([['description', 'diff', 'name'], ['description', 'diff', 'name']]);
    expect(changes[1]!.diff).toBe(scheduler!.diff);
  });

  it('applies the migrations, journals started before completed, keeps modes and the originals', async () => {
    const project = await makeTempProject();
    const before = await snapshot(project);
    const redactor = new Redactor();
    const result = await new DeployMigrationRunner({ composeFile: project.composeFile }, { redactor }).up('2.0.0');
    expect(result.applied).toEqual(SHIPPED);

    const journal = await readJournal(project.dir);
    expect(journal.events.map((e) => `${e.name} ${e.direction} ${e.status}`)).toEqual([
      `${SHIPPED[0]} up started`, `${SHIPPED[0]} up completed`, `${SHIPPED[1]} up started`, `${SHIPPED[1]} up completed`,
    ]);
    expect(journal.runs.map((r) => r.id)).toEqual([...new Set(journal.events.map((e) => e.run))]);

    const after = await snapshot(project);
    expect(after.envMode).toBe(0o600);
    expect(after.composeMode).toBe(0o644);
    const secret = EnvFile.parse(after.env.toString()).get('DISPLAY_SIGNING_KEY')!;
    expect(secret).toMatch(BASE64_SECRET);
    // The run's redactor learnt the secret the moment it was generated.
    expect(redactor.redactText(`key=${secret}`)).toBe('key=***');
    const compose = ComposeDocument.parse(after.compose.toString());
    expect(compose.serviceEnv('glowworm-backend')['DISPLAY_SIGNING_KEY']).toBe('${DISPLAY_SIGNING_KEY}');
    expect(compose.hasService('glowworm-scheduler')).toBe(true);

    // The originals are kept byte for byte, in a 0700 folder.
    const kept = result.originalsDir!;
    expect(await readdir(kept)).toEqual(['.env', 'docker-compose.yml']);
    expect((await readFile(join(kept, 'docker-compose.yml'))).equals(before.compose)).toBe(true);
    expect((await readFile(join(kept, '.env'))).equals(before.env)).toBe(true);
    expect((await stat(join(project.dir, '.glowworm'))).mode & 0o777).toBe(0o700);

    expect(await new DeployMigrationRunner({ composeFile: project.composeFile }).pending('2.0.0')).toEqual([]);
  });

  it('down right after up puts both files back byte for byte', async () => {
    const project = await makeTempProject();
    const before = await snapshot(project);
    const runner = new DeployMigrationRunner({ composeFile: project.composeFile });
    await runner.up('2.0.0');
    const result = await runner.down();
    expect(result.method).toBe('restored-originals');
    expect(result.reverted).toEqual([...SHIPPED].reverse());
    const after = await snapshot(project);
    expect(after.compose.equals(before.compose)).toBe(true);
    expect(after.env.equals(before.env)).toBe(true);
    expect(after).toEqual(before);
    expect((await runner.pending('2.0.0')).map((m) => m.name)).toEqual(SHIPPED);
    expect((await runner.down()).method).toBe('nothing-to-revert');
  });

  it('runs each down() in reverse when the files changed since up, and says why', async () => {
    const project = await makeTempProject();
    const before = await snapshot(project);
    const runner = new DeployMigrationRunner({ composeFile: project.composeFile });
    await runner.up('2.0.0');
    // The engine retags images after the migrations: the compose file is no longer what up() left.
    const retagged = ComposeDocument.parse((await readFile(project.composeFile)).toString());
    retagged.setImageTag('glowworm-backend', '2.0.0');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(project.composeFile, retagged.toString());

    const result = await runner.down('1.9.0');
    expect(result.method).toBe('ran-down-migrations');
    expect(result.message).toMatch(/because the compose file or \.env changed after the migrations were applied/);
    const after = await snapshot(project);
    expect(after.env.equals(before.env)).toBe(true);
    const expected = ComposeDocument.parse(before.compose.toString());
    expected.setImageTag('glowworm-backend', '2.0.0');
    expect(after.compose.toString()).toBe(expected.toString());
    const journal = await readJournal(project.dir);
    expect(journal.events.slice(-4).map((e) => `${e.name} ${e.direction} ${e.status}`)).toEqual([
      `${SHIPPED[1]} down started`, `${SHIPPED[1]} down completed`, `${SHIPPED[0]} down started`, `${SHIPPED[0]} down completed`,
    ]);
  });

  it('restoreOriginals puts back the files as before up(), whatever changed since', async () => {
    const project = await makeTempProject();
    const before = await snapshot(project);
    const runner = new DeployMigrationRunner({ composeFile: project.composeFile });
    await runner.up('2.0.0');
    const { appendFile } = await import('node:fs/promises');
    await appendFile(project.composeFile, '# a change after up\n');
    const result = await runner.restoreOriginals();
    expect(result.reverted).toEqual([...SHIPPED].reverse());
    expect(await snapshot(project)).toEqual(before);
    expect((await runner.pending('2.0.0')).length).toBe(2);
  });
});

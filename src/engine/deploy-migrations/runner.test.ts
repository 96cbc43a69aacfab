import { appendFile, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../secrets.js';
import { ComposeDocument } from './compose-edit.js';
import { journalPath } from './deploy-journal.js';
import { EnvFile } from './env-edit.js';
import { ENV_SECRETS } from './glowworm-stack.fixture.js';
import { DeployMigrationRunner } from './runner.js';
import { makeTempProject, snapshot, type TempProject } from './temp-project.fixture.js';
import { SCHEDULER_MODULE, SIGNING_MODULE, TEST_MIGRATION_NAMES as NAMES, TEST_MIGRATIONS, testFacts } from './test-migrations.fixture.js';

const BASE64_SECRET = /[A-Za-z0-9+/]{43}=/;
const BOTH = testFacts({ signing: true, scheduler: true });

interface JournalFile {
  events: { name: string; direction: string; status: string; run: string }[];
  runs: { id: string; target?: string; originals: { dir: string } }[];
}

async function readJournal(dir: string): Promise<JournalFile> {
  return JSON.parse(await readFile(journalPath(dir), 'utf8')) as JournalFile;
}

function runnerFor(project: TempProject, redactor?: Redactor): DeployMigrationRunner {
  return new DeployMigrationRunner({ composeFile: project.composeFile, migrations: TEST_MIGRATIONS }, redactor ? { redactor } : {});
}

async function pendingNames(runner: DeployMigrationRunner, facts = BOTH): Promise<string[]> {
  return (await runner.pending(facts)).map((m) => m.name);
}

describe('DeployMigrationRunner', () => {
  it('selects by the facts about the target: only the migrations whose fact holds, in order', async () => {
    const runner = runnerFor(await makeTempProject());
    expect(await pendingNames(runner, testFacts({}))).toEqual([]);
    expect(await pendingNames(runner, testFacts({ signing: true }))).toEqual([NAMES[0]]);
    expect(await pendingNames(runner, testFacts({ scheduler: true }))).toEqual([NAMES[1]]);
    expect(await runner.pending(BOTH)).toEqual(TEST_MIGRATIONS.map(({ name, description }) => ({ name, description })));
    // What the engine asks of the target image before planning: every migration's imageFiles, once, sorted.
    expect(await runner.imageFiles()).toEqual([SIGNING_MODULE, SCHEDULER_MODULE].sort());
  });

  it('asks needed() on the files as they are: a .env that already has the key needs no signing-key migration', async () => {
    const runner = runnerFor(await makeTempProject({ env: 'DISPLAY_SIGNING_KEY=mine\n' }));
    expect(await pendingNames(runner)).toEqual([NAMES[1]]);
  });

  it('applies a migration once: not proposed again once applied, proposed again after down()', async () => {
    const project = await makeTempProject();
    const runner = runnerFor(project);
    expect((await runner.up(testFacts({ scheduler: true }))).applied).toEqual([NAMES[1]]);
    // The scheduler's needed() still says yes (its fact holds): only the journal keeps it from running twice.
    expect(await pendingNames(runner)).toEqual([NAMES[0]]);
    expect((await runner.up(BOTH)).applied).toEqual([NAMES[0]]);
    expect(await pendingNames(runner)).toEqual([]);
    expect(await runner.up(BOTH)).toEqual({ applied: [], originalsDir: null, notes: [] });
    // Newest first: the signing key was applied last.
    expect((await runner.down()).reverted).toEqual([NAMES[0], NAMES[1]]);
    expect(await pendingNames(runner)).toEqual(NAMES);
  });

  it('previews a redacted diff of both files without writing anything', async () => {
    const project = await makeTempProject({ containerPrefix: 't1-' });
    const before = await snapshot(project);
    const previews = await runnerFor(project).preview(BOTH);
    expect(previews.map((p) => p.name)).toEqual(NAMES);
    const [signingKey, scheduler] = previews;
    expect(signingKey!.diff).toContain('--- a/.env\n+++ b/.env\n');
    expect(signingKey!.diff).toContain(`+# added by glowworm deployment migration ${NAMES[0]}\n+DISPLAY_SIGNING_KEY=***\n`);
    expect(signingKey!.diff).toContain('+      DISPLAY_SIGNING_KEY: ${DISPLAY_SIGNING_KEY}\n');
    expect(scheduler!.diff).toContain('+    container_name: t1-glowworm-scheduler\n');
    expect(scheduler!.diff).toContain('+    command: celery -A celery_app beat --loglevel=info\n');
    const allText = previews.map((p) => p.diff + p.notes.join('\n')).join('\n');
    // No secret: neither the generated one nor the passwords `.env` holds (the context lines show .env's last lines).
    expect(allText).not.toMatch(BASE64_SECRET);
    for (const secret of Object.values(ENV_SECRETS)) expect(allText).not.toContain(secret);
    expect(await snapshot(project)).toEqual(before);
    await expect(stat(join(project.dir, '.glowworm'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('plans on given texts and chains them: each migration sees what the previous one left', async () => {
    const project = await makeTempProject();
    const runner = runnerFor(project);
    const texts = { compose: await readFile(project.composeFile, 'utf8'), env: 'SECRET_KEY=x\n' };
    const plan = await runner.plan(BOTH, texts);
    expect(plan.before).toBe(texts);
    expect(plan.facts).toBe(BOTH);
    const [signing, scheduler] = plan.steps;
    expect(EnvFile.parse(signing!.after.env).get('SECRET_KEY')).toBe('x');
    // The scheduler was added to the signing-key migration's result, so it got the key too.
    const compose = ComposeDocument.parse(scheduler!.after.compose);
    expect(compose.serviceEnv('glowworm-scheduler')['DISPLAY_SIGNING_KEY']).toBe('${DISPLAY_SIGNING_KEY}');
    expect(plan.after).toBe(scheduler!.after);
  });

  it('applies the migrations, journals started before completed, keeps modes and the originals', async () => {
    const project = await makeTempProject();
    const before = await snapshot(project);
    const redactor = new Redactor();
    const result = await runnerFor(project, redactor).up(BOTH, { runId: 'run-7', target: 'nickstephens/glowworm-backend:test' });
    expect(result.applied).toEqual(NAMES);

    const journal = await readJournal(project.dir);
    expect(journal.events.map((e) => `${e.name} ${e.direction} ${e.status} ${e.run}`)).toEqual([
      `${NAMES[0]} up started run-7`, `${NAMES[0]} up completed run-7`, `${NAMES[1]} up started run-7`, `${NAMES[1]} up completed run-7`,
    ]);
    expect(journal.runs.map((r) => [r.id, r.target])).toEqual([['run-7', 'nickstephens/glowworm-backend:test']]);

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

    expect(await pendingNames(runnerFor(project))).toEqual([]);
  });

  it('writes what the plan showed, generated secret included, and refuses a plan the files no longer match', async () => {
    const project = await makeTempProject();
    const runner = runnerFor(project);
    const plan = await runner.plan(BOTH);
    await runner.up(BOTH, { plan });
    expect(await readFile(project.composeFile, 'utf8')).toBe(plan.after.compose);
    expect(await readFile(project.envFile, 'utf8')).toBe(plan.after.env);

    const other = await makeTempProject();
    const stale = await runnerFor(other).plan(BOTH);
    await appendFile(other.envFile, 'EDITED=1\n');
    const edited = await snapshot(other);
    await expect(runnerFor(other).up(BOTH, { plan: stale })).rejects.toMatchObject({ code: 'deploy-migrations.changed-since-preview' });
    expect(await snapshot(other)).toEqual(edited);
  });

  it('down right after up puts both files back byte for byte', async () => {
    const project = await makeTempProject();
    const before = await snapshot(project);
    const runner = runnerFor(project);
    await runner.up(BOTH);
    const result = await runner.down();
    expect(result.method).toBe('restored-originals');
    expect(result.reverted).toEqual([...NAMES].reverse());
    const after = await snapshot(project);
    expect(after.compose.equals(before.compose)).toBe(true);
    expect(after.env.equals(before.env)).toBe(true);
    expect(after).toEqual(before);
    expect((await runner.down()).method).toBe('nothing-to-revert');
  });

  it('runs each down() in reverse when the files changed since up, and says why', async () => {
    const project = await makeTempProject();
    const before = await snapshot(project);
    const runner = runnerFor(project);
    await runner.up(BOTH);
    // The engine retags images after the migrations: the compose file is no longer what up() left.
    const retagged = ComposeDocument.parse((await readFile(project.composeFile)).toString());
    retagged.setImageTag('glowworm-backend', 'sha-4f2c');
    await writeFile(project.composeFile, retagged.toString());

    const result = await runner.down();
    expect(result.method).toBe('ran-down-migrations');
    expect(result.message).toMatch(/because the compose file or \.env changed after the migrations were applied/);
    const after = await snapshot(project);
    expect(after.env.equals(before.env)).toBe(true);
    const expected = ComposeDocument.parse(before.compose.toString());
    expected.setImageTag('glowworm-backend', 'sha-4f2c');
    expect(after.compose.toString()).toBe(expected.toString());
    const journal = await readJournal(project.dir);
    expect(journal.events.slice(-4).map((e) => `${e.name} ${e.direction} ${e.status}`)).toEqual([
      `${NAMES[1]} down started`, `${NAMES[1]} down completed`, `${NAMES[0]} down started`, `${NAMES[0]} down completed`,
    ]);
  });

  it('runs each down() when the migrations were applied by different runs', async () => {
    const project = await makeTempProject();
    const before = await snapshot(project);
    const runner = runnerFor(project);
    await runner.up(testFacts({ signing: true }), { runId: 'run-a' });
    await runner.up(testFacts({ scheduler: true }), { runId: 'run-b' });
    const result = await runner.down();
    expect(result).toMatchObject({ method: 'ran-down-migrations', reverted: [...NAMES].reverse() });
    expect(result.message).toMatch(/because these migrations were not applied together by the last run/);
    expect(await snapshot(project)).toEqual(before);
  });

  it('recordFinalFiles makes the engine’s retag part of the run, so down still puts the originals back', async () => {
    const project = await makeTempProject();
    const before = await snapshot(project);
    const runner = runnerFor(project);
    await runner.up(BOTH, { runId: 'run-1' });
    await writeFile(project.composeFile, (await readFile(project.composeFile, 'utf8')).replace('glowworm-frontend:test', 'glowworm-frontend:sha-4f2c'));
    await runner.recordFinalFiles('run-1');
    expect((await runner.down()).method).toBe('restored-originals');
    expect(await snapshot(project)).toEqual(before);
  });

  it('restoreOriginals puts back the files as before up(), whatever changed since', async () => {
    const project = await makeTempProject();
    const before = await snapshot(project);
    const runner = runnerFor(project);
    await runner.up(BOTH);
    await appendFile(project.composeFile, '# a change after up\n');
    const result = await runner.restoreOriginals();
    expect(result.reverted).toEqual([...NAMES].reverse());
    expect(await snapshot(project)).toEqual(before);
    expect(await pendingNames(runner)).toEqual(NAMES);
  });

  it('creates a 0600 .env when there is none, and removes it again on the way down', async () => {
    const project = await makeTempProject();
    await rm(project.envFile);
    const runner = runnerFor(project);
    await runner.up(testFacts({ signing: true }));
    expect((await stat(project.envFile)).mode & 0o777).toBe(0o600);
    expect(await runner.down()).toMatchObject({ method: 'restored-originals' });
    await expect(stat(project.envFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a down() spares what the user had: only what carries its "added by" note goes', async () => {
    const project = await makeTempProject();
    const compose = await readFile(project.composeFile, 'utf8');
    await writeFile(project.composeFile, compose.replace('\nvolumes:', '  glowworm-scheduler:\n    image: custom:1\n\nvolumes:'));
    const before = await snapshot(project);
    const runner = runnerFor(project);
    const up = await runner.up(testFacts({ scheduler: true }));
    expect(up.notes).toEqual([`${NAMES[1]}: The compose file already has a glowworm-scheduler service; it is kept as it is.`]);
    // Make the fast path impossible so down() runs and must spare what it did not add.
    await appendFile(project.composeFile, '# edited\n');
    const down = await runner.down();
    expect(down.method).toBe('ran-down-migrations');
    expect(down.notes).toEqual([`${NAMES[1]}: glowworm-scheduler was not added by this migration (no "added by" comment); it is left in place.`]);
    expect(await readFile(project.composeFile, 'utf8')).toBe(before.compose.toString() + '# edited\n');
  });
});

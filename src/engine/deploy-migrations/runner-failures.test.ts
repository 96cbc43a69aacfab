import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { journalPath } from './deploy-journal.js';
import { ComposeProjectFiles } from './project-files.js';
import { DeployMigrationRunner } from './runner.js';
import { makeTempProject, snapshot } from './temp-project.fixture.js';
import { TEST_MIGRATIONS, testFacts } from './test-migrations.fixture.js';
import { NO_FACTS, type DeployMigration } from './types.js';

const run = promisify(execFile);
const RUNNER = fileURLToPath(new URL('./runner.ts', import.meta.url));
const TYPES = fileURLToPath(new URL('./types.ts', import.meta.url));
const PROJECT_FILES = fileURLToPath(new URL('./project-files.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

// Needed whatever the facts: these tests are about what happens when a migration that runs goes wrong.
const first: DeployMigration = {
  name: '001-first',
  description: 'adds FIRST to the backend',
  needed: () => true,
  up: (ctx) => ctx.compose.setServiceEnv('glowworm-backend', 'FIRST', '1', { addedBy: ctx.name }),
  down: (ctx) => void ctx.compose.removeServiceEnv('glowworm-backend', 'FIRST'),
};

// The process is killed (SIGKILL: no handler, no cleanup) while the second migration's planned texts are written,
// after the first migration's were.
const CRASHING_CHILD = `
import { DeployMigrationRunner } from ${JSON.stringify(RUNNER)};
import { ComposeProjectFiles } from ${JSON.stringify(PROJECT_FILES)};
import { NO_FACTS } from ${JSON.stringify(TYPES)};
const first = {
  name: '001-first', description: 'adds FIRST', needed: () => true,
  up: (ctx) => ctx.compose.setServiceEnv('glowworm-backend', 'FIRST', '1', { addedBy: ctx.name }),
  down: () => {},
};
const crash = { name: '002-crash', description: 'dies half-way', needed: () => true, up: (ctx) => void ctx.env.add('HALF', 'x'), down: () => {} };
const write = ComposeProjectFiles.prototype.writeTexts;
let writes = 0;
ComposeProjectFiles.prototype.writeTexts = function (texts) {
  if (++writes === 2) process.kill(process.pid, 'SIGKILL');
  return write.call(this, texts);
};
await new DeployMigrationRunner({ composeFile: process.argv[2], migrations: [first, crash] }).up(NO_FACTS);
`;

describe('DeployMigrationRunner when things go wrong', () => {
  afterEach(() => void vi.restoreAllMocks());

  it('detects a crash between started and completed, refuses to go on, and recovers from the kept originals', async () => {
    const project = await makeTempProject();
    const before = await snapshot(project);
    const script = join(project.dir, 'crash.mts');
    await writeFile(script, CRASHING_CHILD);
    // `node --import tsx` (not the tsx binary, which runs a second node): the process killed is the one we started.
    await expect(run(process.execPath, ['--import', 'tsx', script, project.composeFile], { cwd: REPO_ROOT })).rejects.toMatchObject({
      signal: 'SIGKILL',
    });

    // The first migration's change is on disk; the journal says the second started and never finished.
    expect((await readFile(project.composeFile, 'utf8')).includes('FIRST: "1"')).toBe(true);
    const journal = JSON.parse(await readFile(journalPath(project.dir), 'utf8')) as { events: { name: string; status: string }[] };
    expect(journal.events.map((e) => `${e.name} ${e.status}`)).toEqual(['001-first started', '001-first completed', '002-crash started']);

    const runner = new DeployMigrationRunner({ composeFile: project.composeFile, migrations: [first] });
    expect(await runner.interrupted()).toEqual(['002-crash']);
    for (const attempt of [() => runner.up(NO_FACTS), () => runner.preview(NO_FACTS), () => runner.pending(NO_FACTS), () => runner.down()]) {
      await expect(attempt()).rejects.toMatchObject({
        kind: 'user',
        code: 'deploy-migrations.interrupted',
        message: expect.stringContaining('002-crash (up) started but never finished'),
        hint: expect.stringMatching(/--resume.*originals.*cp '.*docker-compose\.yml'/s),
      });
    }

    const recovered = await runner.restoreOriginals();
    expect(recovered.reverted).toEqual(['001-first']);
    expect(await snapshot(project)).toEqual(before);
    expect(await runner.interrupted()).toEqual([]);
    expect((await runner.pending(NO_FACTS)).map((m) => m.name)).toEqual(['001-first']);
  });

  it('writes nothing when a migration throws: its up() runs while the plan is made', async () => {
    const project = await makeTempProject();
    const before = await snapshot(project);
    const failing: DeployMigration = {
      name: '002-boom', description: 'fails', needed: () => true,
      up: () => {
        throw new Error('boom');
      },
      down: () => {},
    };
    const runner = new DeployMigrationRunner({ composeFile: project.composeFile, migrations: [first, failing] });
    // A migration's up() runs when the plan is made (on copies): a throwing one fails the plan before anything is written.
    await expect(runner.up(NO_FACTS)).rejects.toThrow(/boom/);
    expect(await snapshot(project)).toEqual(before);
    await expect(stat(join(project.dir, '.glowworm'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('puts the files back and records the failure when writing a migration’s result fails', async () => {
    const project = await makeTempProject();
    const before = await snapshot(project);
    const second: DeployMigration = {
      name: '002-second', description: 'adds SECOND', needed: () => true,
      up: (ctx) => void ctx.env.add('SECOND', '2'),
      down: () => {},
    };
    const runner = new DeployMigrationRunner({ composeFile: project.composeFile, migrations: [first, second] });
    // The second write fails as a full disk would; the first one has changed the compose file by then.
    const write = ComposeProjectFiles.prototype.writeTexts;
    let writes = 0;
    vi.spyOn(ComposeProjectFiles.prototype, 'writeTexts').mockImplementation(function (this: ComposeProjectFiles, texts) {
      if (++writes === 2) return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
      return write.call(this, texts);
    });
    await expect(runner.up(NO_FACTS)).rejects.toThrow(
      /Deployment migration 002-second \(up\) failed: .*ENOSPC.* The compose file and \.env were put back as they were\./,
    );
    vi.restoreAllMocks();
    expect(writes).toBe(2);
    expect(await snapshot(project)).toEqual(before);
    expect(await runner.interrupted()).toEqual([]);
    const journal = JSON.parse(await readFile(journalPath(project.dir), 'utf8')) as { events: { name: string; direction: string; status: string }[] };
    expect(journal.events.map((e) => `${e.name} ${e.direction} ${e.status}`)).toEqual([
      '001-first up started', '001-first up completed', '002-second up started', '002-second up failed',
      '001-first down started', '001-first down completed',
    ]);
    expect((await runner.pending(NO_FACTS)).map((m) => m.name)).toEqual(['001-first', '002-second']);
  });

  it('refuses a read-only compose file before writing anything', async () => {
    const project = await makeTempProject();
    await chmod(project.composeFile, 0o444);
    const before = await snapshot(project);
    const runner = new DeployMigrationRunner({ composeFile: project.composeFile, migrations: TEST_MIGRATIONS });
    await expect(runner.up(testFacts())).rejects.toMatchObject({
      kind: 'user',
      code: 'deploy-migrations.read-only',
      message: `The compose file ${project.composeFile} is read-only (mode 0444).`,
    });
    expect(await snapshot(project)).toEqual(before);
    await expect(stat(join(project.dir, '.glowworm'))).rejects.toMatchObject({ code: 'ENOENT' });
    // Previewing reads only: it still works.
    expect(await runner.preview(testFacts())).toHaveLength(2);
  });

  it('refuses a journal that is not JSON instead of guessing what was applied', async () => {
    const project = await makeTempProject();
    await mkdir(join(project.dir, '.glowworm'));
    await writeFile(journalPath(project.dir), '{"events": [');
    await expect(new DeployMigrationRunner({ composeFile: project.composeFile }).pending(NO_FACTS)).rejects.toMatchObject({
      code: 'deploy-migrations.journal-invalid',
    });
  });
});

import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { journalPath } from './deploy-journal.js';
import { DeployMigrationRunner } from './runner.js';
import { makeTempProject, snapshot } from './temp-project.fixture.js';
import type { DeployMigration } from './types.js';

const run = promisify(execFile);
const RUNNER = fileURLToPath(new URL('./runner.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const first: DeployMigration = {
  name: '001-2.0.0-first',
  version: '2.0.0',
  description: 'adds FIRST to the backend',
  up: (ctx) => ctx.compose.setServiceEnv('glowworm-backend', 'FIRST', '1', { addedBy: ctx.name }),
  down: (ctx) => void ctx.compose.removeServiceEnv('glowworm-backend', 'FIRST'),
};

// The process is killed (SIGKILL: no handler, no cleanup) inside the second migration, after the first one wrote.
const CRASHING_CHILD = `
import { DeployMigrationRunner } from ${JSON.stringify(RUNNER)};
const first = {
  name: '001-2.0.0-first', version: '2.0.0', description: 'adds FIRST',
  up: (ctx) => ctx.compose.setServiceEnv('glowworm-backend', 'FIRST', '1', { addedBy: ctx.name }),
  down: () => {},
};
const crash = {
  name: '002-2.0.0-crash', version: '2.0.0', description: 'dies half-way',
  up: (ctx) => { ctx.env.add('HALF', 'x'); process.kill(process.pid, 'SIGKILL'); },
  down: () => {},
};
await new DeployMigrationRunner({ composeFile: process.argv[2], migrations: [first, crash] }).up('2.0.0');
`;

describe('DeployMigrationRunner when things go wrong', () => {
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
    expect(journal.events.map((e) => `${e.name} ${e.status}`)).toEqual([
      '001-2.0.0-first started', '001-2.0.0-first completed', '002-2.0.0-crash started',
    ]);

    const runner = new DeployMigrationRunner({ composeFile: project.composeFile, migrations: [first] });
    expect(await runner.interrupted()).toEqual(['002-2.0.0-crash']);
    for (const attempt of [() => runner.up('2.0.0'), () => runner.preview('2.0.0'), () => runner.pending('2.0.0'), () => runner.down()]) {
      await expect(attempt()).rejects.toMatchObject({
        kind: 'user',
        code: 'deploy-migrations.interrupted',
        message: expect.stringContaining('002-2.0.0-crash (up) started but never finished'),
        hint: expect.stringMatching(/--resume.*originals.*cp '.*docker-compose\.yml'/s),
      });
    }

    const recovered = await runner.restoreOriginals();
    expect(recovered.reverted).toEqual(['001-2.0.0-first']);
    expect(await snapshot(project)).toEqual(before);
    expect(await runner.interrupted()).toEqual([]);
    expect((await runner.pending('2.0.0')).map((m) => m.name)).toEqual(['001-2.0.0-first']);
  });

  it('puts the files back and records the failure when a migration throws', async () => {
    const project = await makeTempProject();
    const before = await snapshot(project);
    const failing: DeployMigration = {
      name: '002-2.0.0-boom', version: '2.0.0', description: 'fails',
      up: () => {
        throw new Error('boom');
      },
      down: () => {},
    };
    const runner = new DeployMigrationRunner({ composeFile: project.composeFile, migrations: [first, failing] });
    await expect(runner.up('2.0.0')).rejects.toThrow(
      /Deployment migration 002-2\.0\.0-boom \(up\) failed: boom The compose file and \.env were put back as they were\./,
    );
    expect(await snapshot(project)).toEqual(before);
    expect(await runner.interrupted()).toEqual([]);
    const journal = JSON.parse(await readFile(journalPath(project.dir), 'utf8')) as { events: { name: string; direction: string; status: string }[] };
    expect(journal.events.map((e) => `${e.name} ${e.direction} ${e.status}`)).toEqual([
      '001-2.0.0-first up started', '001-2.0.0-first up completed', '002-2.0.0-boom up started', '002-2.0.0-boom up failed',
      '001-2.0.0-first down started', '001-2.0.0-first down completed',
    ]);
    expect((await runner.pending('2.0.0')).map((m) => m.name)).toEqual(['001-2.0.0-first', '002-2.0.0-boom']);
  });

  it('refuses a read-only compose file before writing anything', async () => {
    const project = await makeTempProject();
    await chmod(project.composeFile, 0o444);
    const before = await snapshot(project);
    const runner = new DeployMigrationRunner({ composeFile: project.composeFile });
    await expect(runner.up('2.0.0')).rejects.toMatchObject({
      kind: 'user',
      code: 'deploy-migrations.read-only',
      message: `The compose file ${project.composeFile} is read-only (mode 0444).`,
    });
    expect(await snapshot(project)).toEqual(before);
    await expect(stat(join(project.dir, '.glowworm'))).rejects.toMatchObject({ code: 'ENOENT' });
    // Previewing reads only: it still works.
    expect(await runner.preview('2.0.0')).toHaveLength(2);
  });

  it('refuses a journal that is not JSON instead of guessing what was applied', async () => {
    const project = await makeTempProject();
    await mkdir(join(project.dir, '.glowworm'));
    await writeFile(journalPath(project.dir), '{"events": [');
    await expect(new DeployMigrationRunner({ composeFile: project.composeFile }).pending('2.0.0')).rejects.toMatchObject({
      code: 'deploy-migrations.journal-invalid',
    });
  });
});

// Against a real Alembic (Debian's python3-alembic, `apt-get install -y python3-alembic`) and a SQLite database: the
// probe script and the `alembic history` fallback read the fixture history, `pendingRevisions` predicts exactly the
// steps `alembic upgrade head` logs, and a failed upgrade is read back by `failedRevisionFromOutput`. Skipped when no
// python on this machine can import alembic.

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureReleases } from './glowworm-revisions.fixture.js';
import { buildGraph, pendingRevisions, type Revision } from './graph.js';
import { readGraphFromImage, type RunInImage } from './history-probe.js';
import { classifyLogLine } from './log-line.js';
import { failedRevisionFromOutput } from './migration-failure.js';

const python = [process.env.GLOWWORM_TEST_PYTHON, '/usr/bin/python3', 'python3']
  .filter((p): p is string => Boolean(p))
  .find((p) => spawnSync(p, ['-c', 'import alembic, sqlalchemy']).status === 0);

const root = mkdtempSync(join(tmpdir(), 'glowworm-alembic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ALEMBIC_INI = `[alembic]
script_location = migrations
sqlalchemy.url = sqlite:///db.sqlite

[loggers]
keys = root,alembic
[handlers]
keys = console
[formatters]
keys = generic
[logger_root]
level = WARN
handlers = console
qualname =
[logger_alembic]
level = INFO
handlers =
qualname = alembic
[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic
[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
`;

// Online against SQLite with non-transactional DDL, like GlowWorm's MySQL: a failed step leaves its DDL applied and
// alembic_version at the step before.
const ENV_PY = `from logging.config import fileConfig
from alembic import context
from sqlalchemy import engine_from_config, pool
config = context.config
fileConfig(config.config_file_name)
engine = engine_from_config(config.get_section(config.config_ini_section), prefix='sqlalchemy.', poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, transactional_ddl=False)
    with context.begin_transaction():
        context.run_migrations()
`;

// Every form `down_revision` takes in the wild.
function downRevisionPython(revision: Revision, index: number): string {
  const [first] = revision.downRevisions;
  if (first === undefined) return 'None';
  if (revision.downRevisions.length > 1) return `(${revision.downRevisions.map((d) => `'${d}'`).join(', ')})`;
  return index % 3 === 0 ? `['${first}']` : index % 3 === 1 ? `('${first}',)` : `'${first}'`;
}

/** An Alembic project; file names do not match revision ids. `upgrades` holds each revision's upgrade() body. */
function writeProject(dir: string, revisions: Revision[], upgrades: Record<string, string> = {}): string {
  mkdirSync(join(dir, 'migrations', 'versions'), { recursive: true });
  writeFileSync(join(dir, 'alembic.ini'), ALEMBIC_INI);
  writeFileSync(join(dir, 'migrations', 'env.py'), ENV_PY);
  revisions.forEach((revision, i) => {
    const file = `${String(i + 1).padStart(3, '0')}_${revision.message.replace(/\W+/g, '_')}.py`;
    writeFileSync(
      join(dir, 'migrations', 'versions', file),
      `"""${revision.message}\n\nRevision ID: ${revision.id}\n"""\nfrom alembic import op\n\n` +
        `revision = '${revision.id}'\ndown_revision = ${downRevisionPython(revision, i)}\n` +
        `branch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    ${upgrades[revision.id] ?? 'pass'}\n\n\n` +
        `def downgrade():\n    pass\n`,
    );
  });
  return dir;
}

type Result = Awaited<ReturnType<RunInImage>>;

function exec(cmd: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd[0] as string, cmd.slice(1), { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
  });
}

/**
 * Runs commands as a container of an image would, with `cwd` as its working directory. `python3`/`python` are the
 * test's python unless `withoutPython`; `alembic` is `python -m alembic`, also for `sh` through a shim on PATH.
 */
function localImage(cwd: string, options: { withoutPython?: boolean } = {}): RunInImage {
  const bin = mkdtempSync(join(root, 'bin-'));
  writeFileSync(join(bin, 'alembic'), `#!/bin/sh\nexec '${python}' -m alembic "$@"\n`);
  chmodSync(join(bin, 'alembic'), 0o755);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
  return async (cmd) => {
    const [program = '', ...args] = cmd;
    if (program === 'python3' || program === 'python') {
      return options.withoutPython ? { exitCode: 127, stdout: '', stderr: `${program}: not found` } : exec([python as string, ...args], cwd, env);
    }
    return exec([program === 'alembic' ? join(bin, 'alembic') : program, ...args], cwd, env);
  };
}

const alembic = (project: string, ...args: string[]): Promise<Result> => exec([python as string, '-m', 'alembic', ...args], project);

async function upgradeSteps(project: string, current: string[]): Promise<{ to: string; from: string[] }[]> {
  rmSync(join(project, 'db.sqlite'), { force: true });
  if (current.length > 0) expect((await alembic(project, 'stamp', ...current)).exitCode).toBe(0);
  const upgrade = await alembic(project, 'upgrade', 'head');
  expect(upgrade.exitCode, upgrade.stderr).toBe(0);
  return upgrade.stderr
    .split('\n')
    .map((line) => classifyLogLine(line, 'stderr').migration)
    .filter((step) => step?.kind === 'upgrade')
    .map((step) => ({ to: step?.to ?? '', from: step?.from ?? [] }));
}

const sortById = (list: Revision[]): Revision[] => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));

// Each test starts real Python processes (Alembic imports SQLAlchemy: about a second each on an idle machine); the
// default 5 s timed out under the load of the integration files running beside the unit tests.
describe.skipIf(!python)(`against a real Alembic (${python ?? 'none found: apt-get install -y python3-alembic'})`, { timeout: 60_000 }, () => {
  const release200 = fixtureReleases['2.0.0'];
  const project = writeProject(join(root, 'image200', 'app', 'backend'), release200);
  const graph = buildGraph(release200);

  it('the probe script finds alembic.ini in the second folder and reads the history without a database', async () => {
    const history = await readGraphFromImage(localImage(join(root, 'image200')), {
      iniDirs: [join(root, 'image200', 'app'), project],
    });
    expect(history.source).toBe('probe-script');
    expect(history.ini).toBe(join(project, 'alembic.ini'));
    expect(history.alembicVersion).toMatch(/^\d+\.\d+/);
    expect(history.warnings).toEqual([]);
    expect(sortById([...history.graph.revisions.values()])).toEqual(sortById(release200));
    expect(history.graph.heads).toEqual(['2024110901']);
  });

  it('without python it reads `alembic history` from the image working directory', async () => {
    const history = await readGraphFromImage(localImage(project, { withoutPython: true }));
    expect(history.command).toBe('alembic history');
    expect(sortById([...history.graph.revisions.values()])).toEqual(sortById(release200));
  });

  it('without python, from another working directory, it gets there with `cd <ini dir>`', async () => {
    const history = await readGraphFromImage(localImage(root, { withoutPython: true }), { iniDirs: [project] });
    // `alembic -c <ini>` from elsewhere cannot resolve the relative script_location; the `cd` can.
    expect(history.command).toBe('sh -c "cd <ini dir> && exec alembic history"');
    expect(history.graph.revisions.size).toBe(8);
  });

  it.each([
    ['a fresh database', []],
    ['the 1.0.0 head (the branch point)', ['a1b2c3d4e5f6']],
    ['one branch head (stopped mid-branch)', ['c2d3e4f5g6h7']],
    ['the other branch head', ['1c0cd51f0957']],
    ['both branch heads before the merge', ['c2d3e4f5g6h7', '1c0cd51f0957']],
    ['the 1.1.0 head', ['ce5826f818f3']],
    ['the head', ['2024110901']],
  ])('pendingRevisions predicts what `alembic upgrade head` runs from %s', async (_, current) => {
    const steps = await upgradeSteps(project, current);
    expect(steps).toEqual(pendingRevisions(graph, current).map((r) => ({ to: r.id, from: r.downRevisions })));
  });

  it('pendingRevisions matches Alembic on longer branches, a three-way merge and a second merge', async () => {
    const wide: Revision[] = [
      { id: 'base01', downRevisions: [], message: 'base' },
      { id: 'b1', downRevisions: ['base01'], message: 'b1' },
      { id: 'b2', downRevisions: ['b1'], message: 'b2' },
      { id: 'c1', downRevisions: ['base01'], message: 'c1' },
      { id: 'c2', downRevisions: ['c1'], message: 'c2' },
      { id: 'c3', downRevisions: ['c2'], message: 'c3' },
      { id: 'd1', downRevisions: ['base01'], message: 'd1' },
      { id: 'm1', downRevisions: ['b2', 'c3', 'd1'], message: 'merge three' },
      { id: 'e1', downRevisions: ['m1'], message: 'e1' },
      { id: 'f1', downRevisions: ['m1'], message: 'f1' },
      { id: 'm2', downRevisions: ['f1', 'e1'], message: 'merge again' },
    ];
    const wideProject = writeProject(join(root, 'wide'), wide);
    const wideGraph = buildGraph(wide);
    for (const current of [[], ['b1'], ['c2', 'd1'], ['e1']]) {
      const steps = await upgradeSteps(wideProject, current);
      expect(steps, `from [${current.join(', ')}]`).toEqual(
        pendingRevisions(wideGraph, current).map((r) => ({ to: r.id, from: r.downRevisions })),
      );
    }
  });

  it('a database at a revision the image lacks: Alembic refuses, and so do we', async () => {
    // The 1.1.0 image started against a database a 2.0.0 image already upgraded.
    await upgradeSteps(project, ['2024110901']);
    const release110 = writeProject(join(root, 'image110'), fixtureReleases['1.1.0']);
    writeFileSync(join(release110, 'alembic.ini'), ALEMBIC_INI.replace('sqlite:///db.sqlite', `sqlite:///${join(project, 'db.sqlite')}`));
    const upgrade = await alembic(release110, 'upgrade', 'head');
    expect(upgrade.exitCode).not.toBe(0);
    const failure = failedRevisionFromOutput([...upgrade.stderr.split('\n'), ...upgrade.stdout.split('\n')]);
    expect(failure).toMatchObject({ revision: null, error: "FAILED: Can't locate revision identified by '2024110901'" });
    expect(() => pendingRevisions(buildGraph(fixtureReleases['1.1.0']), ['2024110901'])).toThrow(/does not know/);
  });

  it('a failed step: its revision and error are read back, alembic_version stays before it, its DDL stays', async () => {
    const failing = writeProject(join(root, 'failing'), release200, {
      '000000000001': "op.execute('CREATE TABLE display_devices (id INTEGER PRIMARY KEY)')",
      // Made idempotent only after it failed in the field: here it is not.
      ce5826f818f3:
        "op.execute('ALTER TABLE display_devices ADD COLUMN resolution_width INTEGER'); " +
        "op.execute('ALTER TABLE display_devices ADD COLUMN resolution_width INTEGER')",
    });
    const upgrade = await alembic(failing, 'upgrade', 'head');
    expect(upgrade.exitCode).not.toBe(0);
    const failure = failedRevisionFromOutput(upgrade.stderr.split('\n'));
    expect(failure).toMatchObject({
      revision: 'ce5826f818f3',
      from: ['366388fee193'],
      message: 'add playlist variants for resolution',
      error: expect.stringMatching(/^sqlalchemy\.exc\.OperationalError: .*duplicate column name: resolution_width/),
    });
    const sqlite = (query: string): Promise<Result> =>
      exec([python as string, '-c', `import sqlite3; print([r for r in sqlite3.connect('db.sqlite').execute("${query}")])`], failing);
    expect((await sqlite('select version_num from alembic_version')).stdout.trim()).toBe("[('366388fee193',)]");
    expect((await sqlite('select name from pragma_table_info(\'display_devices\')')).stdout.trim()).toBe(
      "[('id',), ('resolution_width',)]",
    );
    // From where it stopped, the same revision is pending again.
    expect(pendingRevisions(graph, ['366388fee193'])[0]?.id).toBe('ce5826f818f3');
  });
});

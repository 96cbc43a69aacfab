// Backups after faults (issue 9), on one real rig stack: `glowworm restore` refuses a damaged backup or an unreadable
// manifest before it stops anything (exit 2, the same containers still running since the same moment, every
// checksum and the backups folder unchanged), and the partial dump of a SIGKILLed `glowworm backup` is removed by
// the next backup.
import { copyFileSync, readdirSync, rmSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbQuery, docker, stackDown, stackUp, tableChecksums, tmpStackDir, type Stack } from './rig/index.js';
import { eventsOf, runGlowworm, type CliRun } from './support/run-glowworm.js';

const messages = (run: CliRun) => eventsOf(run, 'notice').map((n) => n.message).join('\n') + run.stderr;

describe('backups after faults', () => {
  const dir = tmpStackDir('faults-backups');
  const backups = join(dir, '.glowworm', 'backups');
  let stack: Stack;
  let file: string;

  /** Every container of the stack: id, name, state and when it started. A restart changes StartedAt. */
  const containers = async () => {
    const ids = (await docker(['ps', '-aq', '--filter', `name=^${stack.prefix}`])).stdout.split('\n').filter(Boolean);
    return (await docker(['inspect', '--format', '{{.Id}} {{.Name}} {{.State.Status}} {{.State.StartedAt}}', ...ids])).stdout.split('\n').sort().join('\n');
  };

  /** A copy of the backup beside it under another name, with its manifest; `manifest` replaces the manifest's text. */
  const copyBackup = (name: string, manifest?: string) => {
    const copy = join(backups, `${name}.sql.gz`);
    copyFileSync(file, copy);
    const manifestPath = join(backups, `${name}.manifest.json`);
    if (manifest === undefined) copyFileSync(file.replace(/\.sql\.gz$/, '.manifest.json'), manifestPath);
    else writeFileSync(manifestPath, manifest);
    return { copy, manifestPath };
  };

  /** Restore FILE with every confirmation given; what changed around it. */
  const refusedRestore = async (target: string) => {
    const before = { containers: await containers(), checksums: await tableChecksums(stack), files: readdirSync(backups).sort() };
    const run = await runGlowworm(['restore', target, '--project-dir', dir, '--yes', '--confirm-database', 'glowworm', '--json']);
    expect(run.code, run.stdout.slice(-2000)).toBe(2);
    // Nothing was stopped (same ids, same StartedAt, still running), no safety backup taken, no row touched.
    expect(eventsOf(run, 'step.started')).toEqual([]);
    expect(await containers()).toBe(before.containers);
    expect(before.containers).not.toMatch(/ exited /);
    expect(await tableChecksums(stack)).toEqual(before.checksums);
    expect(readdirSync(backups).sort()).toEqual(before.files);
    return run;
  };

  beforeAll(async () => {
    stack = await stackUp({ version: '1.1.0', dir, prefix: `k${randomBytes(3).toString('hex')}-` });
    const run = await runGlowworm(['backup', '--project-dir', dir, '--yes', '--json']);
    expect(run.code, run.stdout.slice(-2000)).toBe(0);
    file = eventsOf(run, 'backup.completed')[0]!.path;
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('restore refuses a truncated backup with exit 2 before it stops anything', async () => {
    const { copy } = copyBackup('truncated');
    truncateSync(copy, Math.floor(statSync(copy).size / 2));
    const run = await refusedRestore(copy);
    expect(messages(run)).toContain(`${copy} does not match the sha256 its manifest recorded`);
  });

  it('restore names a manifest that is not JSON as unreadable, not as missing', async () => {
    const { copy, manifestPath } = copyBackup('bad-manifest', '{"format": 1, "database": "glowworm", ');
    const run = await refusedRestore(copy);
    expect(messages(run)).toContain(`${manifestPath}, is unreadable (not valid JSON`);
    expect(messages(run)).not.toContain('no manifest beside it');
  });

  it('a backup SIGKILLed while dumping leaves its partial dump; the next backup removes it', async () => {
    // Enough data that the dump is still running when the kill lands (the seeded rows take a few milliseconds).
    await dbQuery(stack, 'CREATE TABLE filler (id INT PRIMARY KEY AUTO_INCREMENT, b LONGBLOB)');
    for (let i = 0; i < 30; i++) await dbQuery(stack, "INSERT INTO filler (b) VALUES (REPEAT(SHA2(RAND(), 256), 16384))");
    const killed = await runGlowworm(['backup', '--project-dir', dir, '--yes', '--json'], { killWhen: (e) => e.type === 'backup.progress' });
    expect(killed.signal).toBe('SIGKILL');
    const partials = readdirSync(backups).filter((n) => n.endsWith('.partial'));
    expect(partials, 'the dump had finished before the kill').toHaveLength(1);
    // The killed run's lock stays, named stale with the way out: remove it (its app services stay stopped; fine here).
    rmSync(join(dir, '.glowworm', 'lock'), { force: true });
    const next = await runGlowworm(['backup', '--project-dir', dir, '--yes', '--json']);
    expect(next.code, next.stdout.slice(-2000)).toBe(0);
    expect(readdirSync(backups).filter((n) => n.endsWith('.partial'))).toEqual([]);
    expect(messages(next)).toContain(`Removed the unfinished dump of a killed backup: ${partials[0]}`);
  });
});

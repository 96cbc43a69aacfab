import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupDir, partialPath, removeDeadPartials } from './store.js';

describe('partial dumps', () => {
  it('are named after their writer', () => {
    expect(partialPath('/p/.glowworm/backups/a.sql.gz')).toBe(`/p/.glowworm/backups/a.sql.gz.${hostname()}-${process.pid}.partial`);
  });

  it('of dead writers (and of earlier versions, which name none) are removed; live, own and other hosts’ stay', async () => {
    const project = mkdtempSync(join(tmpdir(), 'gw-partials-'));
    mkdirSync(backupDir(project), { recursive: true });
    const names = [
      'a.sql.gz', 'a.manifest.json', // a finished backup
      'b.sql.gz.server-1-999.partial', // its writer is gone
      'c.sql.gz.partial', // an earlier version's
      'd.sql.gz.server-1-4242.partial', // a writer still running
      `e.sql.gz.server-1-${process.pid}.partial`, // this process's own
      'f.sql.gz.other-host-999.partial', // another host's
    ];
    for (const n of names) writeFileSync(join(backupDir(project), n), 'x');
    const removed = await removeDeadPartials(project, { host: 'server-1', alive: (pid) => pid === 4242 });
    expect(removed.sort()).toEqual(['b.sql.gz.server-1-999.partial', 'c.sql.gz.partial']);
    expect(readdirSync(backupDir(project)).sort()).toEqual(names.filter((n) => !removed.includes(n)).sort());
  });

  it('is a no-op without a backups folder', async () => {
    const project = mkdtempSync(join(tmpdir(), 'gw-partials-'));
    expect(await removeDeadPartials(project)).toEqual([]);
    expect(existsSync(backupDir(project))).toBe(false);
  });
});

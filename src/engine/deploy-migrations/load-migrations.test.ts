import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from './load-migrations.js';

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'glowworm-migrations-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

const VALID = "export const description = 'd';\nexport function needed() { return true; }\nexport function up() {}\nexport function down() {}\n";

describe('loadMigrations', () => {
  it('loads NNN-slug files in name order, skipping tests and declarations', async () => {
    const dir = await dirWith({ '002-b.ts': VALID, '001-a.ts': `${VALID}export const imageFiles = ['/app/x.py'];\n`, '003-c.test.ts': 'x', '004-d.d.ts': 'x', 'notes.md': 'x' });
    const migrations = await loadMigrations(dir);
    expect(migrations.map((m) => [m.name, m.imageFiles])).toEqual([['001-a', ['/app/x.py']], ['002-b', undefined]]);
  });

  it('refuses a migration that is selected by a version instead of needed()', async () => {
    await expect(loadMigrations(await dirWith({ '001-old.ts': `export const version = '2.0.0';\n${VALID}` }))).rejects.toMatchObject({
      kind: 'bug', code: 'deploy-migrations.invalid-migration', message: expect.stringContaining('exports a `version`'),
    });
    await expect(loadMigrations(await dirWith({ '001-no-needed.ts': VALID.replace('needed', 'wanted') }))).rejects.toMatchObject({
      message: expect.stringContaining('exports no `needed(ctx)`'),
    });
    await expect(loadMigrations(await dirWith({ '001-rel.ts': `${VALID}export const imageFiles = ['app/x.py'];\n` }))).rejects.toMatchObject({
      message: expect.stringContaining('`imageFiles` that are not absolute paths'),
    });
  });
});

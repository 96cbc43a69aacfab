import { describe, expect, it } from 'vitest';
import type { Journal } from '../journal.js';
import type { BackupScope } from './database-back.js';
import { onlineBackup } from './online-backup.js';

// Nothing of the scope is reached before the checks below fail: a journal that recorded no backup is all it needs.
const scope = { journal: { state: () => undefined } as unknown as Journal } as BackupScope;

describe('onlineBackup', () => {
  it('a catch-up with no backup kept before it refuses, deleting nothing (the command goes no further)', async () => {
    const pair = onlineBackup();
    const step = pair.catchUpStep(scope, { id: 'catch-up', title: 'Catch up' });
    await expect(step.run(new AbortController().signal)).rejects.toMatchObject({ code: 'backup.no-verified-copy' });
    expect(step.undo).toBeUndefined();
  });

  it('disposing before any backup kept a copy is a no-op', async () => {
    await expect(onlineBackup().dispose()).resolves.toBeUndefined();
  });

  it('the backup step is an online verified backup under the id and title asked for', () => {
    const step = onlineBackup().backupStep(scope, { id: 'backup', title: 'Back up' });
    expect(step).toMatchObject({ id: 'backup', title: 'Back up' });
    expect(step.undo).toBeUndefined();
  });
});

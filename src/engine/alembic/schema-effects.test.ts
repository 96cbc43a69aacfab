import { describe, expect, it } from 'vitest';
import { droppedTables, tablesAfter, type RevisionEffects } from './schema-effects.js';

const effect = (id: string, creates: string[] = [], drops: string[] = []): RevisionEffects => ({ id, creates, drops, columns: [], indexes: [] });
const effects = new Map([
  effect('r1', ['user_logs']),
  effect('r2', [], ['legacy_tokens']),
  effect('r3', ['scratch'], []),
  effect('r4', [], ['scratch']),
].map((e) => [e.id, e]));

describe('tablesAfter', () => {
  it("keeps what was there (the app's own tables too), drops what the pending revisions drop, adds what they create", () => {
    const before = ['alembic_version', 'images', 'legacy_tokens', 'user_sessions'];
    expect(tablesAfter(before, [{ id: 'r1' }, { id: 'r2' }], effects)).toEqual(['alembic_version', 'images', 'user_logs', 'user_sessions']);
  });

  it('follows the order: a table created then dropped is not expected; an unreadable revision changes nothing', () => {
    expect(tablesAfter(['images'], [{ id: 'r3' }, { id: 'r4' }, { id: 'unknown' }], effects)).toEqual(['alembic_version', 'images']);
    expect(tablesAfter(['images'], [], effects)).toEqual(['images']);
  });
});

describe('droppedTables', () => {
  it('names tables the pending revisions drop for good', () => {
    expect(droppedTables([{ id: 'r1' }, { id: 'r2' }], effects)).toEqual(['legacy_tokens']);
    expect(droppedTables([{ id: 'r4' }, { id: 'r3' }], effects)).toEqual([]); // dropped, then created again
  });
});

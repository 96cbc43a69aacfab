import { describe, expect, it } from 'vitest';
import type { SchemaReport } from '../../engine/api.js';
import { fixturePlan } from './events.fixture.js';
import { planRows, releaseNoteRows, MAX_NOTE_ENTRIES } from './plan-rows.js';
import { schemaRows, statusRows } from './report-rows.js';
import { capped, diffRows, rowsText, windowOf } from './rows.js';

describe('plan rows', () => {
  it('lists versions per service, images, migrations with merges marked, and no deployment changes', () => {
    const text = rowsText(planRows(fixturePlan()));
    expect(text).toContain('Upgrade gw-demo: 1.0.0 → 1.1.0');
    expect(text).toMatch(/glowworm-backend\s+recreate\s+1\.0\.0 → 1\.1\.0\s+registry\/backend:1\.1\.0/);
    expect(text).toContain('registry/frontend:1.1.0  (glowworm-frontend)');
    expect(text).toContain('Database migrations (a1b2c3d4e5f6 → ce5826f818f3)');
    expect(text).toContain('366388fee193  merge display mode and system settings  (merge)');
    expect(text).not.toContain('c2d3e4f5g6h7  create user logs table  (merge)');
    expect(text).toMatch(/Deployment changes\n  none/);
  });

  it('puts breaking notes first with their reason, and says when there are no notes', () => {
    const notes = fixturePlan().releaseNotes!;
    const rows = releaseNoteRows({ ...notes, breaking: [{ section: 'Deployment changes', scope: null, subject: 'add the scheduler service', hash: null, breaking: true, breakingReason: 'needs a deployment migration: 003-scheduler' }] });
    expect(rows.slice(1, 3).map((r) => [r.text, r.tone])).toEqual([
      ['  ! BREAKING add the scheduler service', 'warn'],
      ['      why: needs a deployment migration: 003-scheduler', 'warn'],
    ]);
    expect(rowsText(releaseNoteRows({ ...notes, missing: 'the image carries no release notes' }))).toContain('no release notes: the image carries no release notes');
    expect(rowsText(releaseNoteRows(null))).toContain('no release notes');
    // Without notes in the image, the breaking changes glowworm found itself are still shown.
    const found = { section: 'Database', scope: null, subject: 'The table `legacy` is dropped', hash: null, breaking: true, breakingReason: 'removes table legacy' };
    const noNotes = rowsText(releaseNoteRows({ ...notes, entries: [], breaking: [found], missing: 'the image carries no release notes' }));
    expect(noNotes).toContain('no release notes: the image carries no release notes');
    expect(noNotes).toContain('! BREAKING The table `legacy` is dropped');
    expect(noNotes).not.toContain('nothing listed');
    const many = Array.from({ length: MAX_NOTE_ENTRIES + 3 }, (_, i) => ({ ...notes.entries[0]!, subject: `s${i}` }));
    expect(rowsText(releaseNoteRows({ ...notes, entries: many }))).toContain('… 3 more entries');
  });

  it('shows deployment diffs line by line, coloured by kind, and warnings with a marker', () => {
    const plan = fixturePlan({
      deployChanges: [{ name: '003-scheduler', description: 'add the scheduler', diff: '--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n same\n' }],
      warnings: ['the frontend port is published twice'],
    });
    const rows = planRows(plan);
    expect(rows.filter((r) => r.tone === 'added' || r.tone === 'removed').map((r) => r.text.trim())).toEqual(['-old', '+new']);
    expect(rowsText(rows)).toContain('  ! the frontend port is published twice');
  });
});

describe('report rows', () => {
  it('marks container health and an unreachable database', () => {
    const rows = statusRows({
      project: { name: 'p', dir: '/p', files: [] },
      services: [{ service: 'glowworm-backend', role: 'backend', container: 'b', state: 'running', health: 'starting', restartCount: 0, image: 'i', version: null }],
      database: { reachable: false, name: null, revisions: null, tables: null },
      backendImage: null, latestBackup: null, warnings: [],
    });
    expect(rows.find((r) => r.text.includes('glowworm-backend'))).toMatchObject({ tone: 'warn', text: expect.stringContaining('! glowworm-backend') });
    expect(rowsText(rows)).toContain('✘ not reachable');
  });

  it('says when the schema is fine', () => {
    const ok: SchemaReport = { revisions: ['r'], expectedTables: ['a'], presentTables: ['a'], missingTables: [], unexpectedTables: [], halfApplied: null, ok: true };
    expect(rowsText(schemaRows(ok))).toBe('✔ The schema matches the recorded revision\n  alembic_version: r\n  tables: 1 present, 1 expected');
    expect(rowsText(schemaRows({ ...ok, ok: false, missingTables: ['users'] }))).toContain('✘ missing: users');
  });
});

describe('row helpers', () => {
  it('windows a list: clamps the offset so the last page is full', () => {
    expect(windowOf(100, 10, 0)).toEqual({ start: 0, end: 10 });
    expect(windowOf(100, 10, 95)).toEqual({ start: 90, end: 100 });
    expect(windowOf(5, 10, 3)).toEqual({ start: 0, end: 5 });
  });

  it('caps a list with a "more" row, and classifies diff lines', () => {
    expect(capped([1, 2, 3], 2, (n) => ({ text: String(n), tone: 'plain' }), 'numbers').map((r) => r.text)).toEqual(['1', '2', '  … 1 more numbers']);
    expect(diffRows('@@ -1 +1 @@\n ctx', '').map((r) => r.tone)).toEqual(['accent', 'dim']);
  });
});

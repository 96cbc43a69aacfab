// What each revision does to the schema, read from its `upgrade()` source inside the image: tables created and
// dropped, columns and indexes added. A static reading (Alembic ops are plain calls with literal names in GlowWorm's
// migrations), good enough to say which tables a revision should leave, and — after a failed migration on MySQL,
// where DDL is not rolled back — which of the failed revision's changes are already half there.
import type { RevisionGraph } from './graph.js';
import { pendingRevisions } from './graph.js';
import { DEFAULT_INI_DIRS } from './probe-script.js';
import type { RunInImage } from './history-probe.js';
import { externalError } from '../errors.js';

export interface RevisionEffects {
  id: string;
  creates: string[];
  drops: string[];
  columns: [table: string, column: string][];
  indexes: [index: string, table: string][];
}

export const EFFECTS_SCRIPT = String.raw`
import json, os, re, sys
dirs = sys.argv[1:]
ini = next((os.path.abspath(os.path.join(d, 'alembic.ini')) for d in dirs if os.path.isfile(os.path.join(d, 'alembic.ini'))), None)
if ini is None:
    sys.stderr.write('no alembic.ini\n'); sys.exit(3)
os.chdir(os.path.dirname(ini))
from alembic.config import Config
from alembic.script import ScriptDirectory
script = ScriptDirectory.from_config(Config(ini))
q = r"['\"]([\w]+)['\"]"
out = []
for rev in script.walk_revisions():
    src = open(rev.path, encoding='utf-8', errors='replace').read()
    up = re.split(r'\ndef downgrade', src, 1)[0]
    out.append({
        'id': rev.revision,
        'creates': re.findall(r'create_table\(\s*' + q, up),
        'drops': re.findall(r'drop_table\(\s*' + q, up),
        'columns': re.findall(r'add_column\(\s*' + q + r'\s*,\s*sa\.Column\(\s*' + q, up),
        'indexes': re.findall(r'create_index\(\s*(?:op\.f\(\s*)?' + q + r'\)?\s*,\s*' + q, up),
    })
print(json.dumps(out))
`;

export async function readSchemaEffects(run: RunInImage): Promise<Map<string, RevisionEffects>> {
  const r = await run(['python3', '-c', EFFECTS_SCRIPT, ...DEFAULT_INI_DIRS]);
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.exitCode !== 0 || !line.startsWith('[')) {
    throw externalError('alembic.effects-unreadable', `Could not read the migrations' schema changes from the image: ${r.stderr.trim().split('\n').at(-1) ?? `exit ${r.exitCode}`}`);
  }
  const list = JSON.parse(line) as RevisionEffects[];
  return new Map(list.map((e) => [e.id, e]));
}

/**
 * Apply the revisions' table changes to `tables`, in application order: each revision's creates, then its drops.
 * A revision we could not read changes nothing: the checks built on this stay as strict as the reading allows.
 */
function applyTableChanges(tables: Set<string>, revisions: readonly { id: string }[], effects: ReadonlyMap<string, RevisionEffects>): Set<string> {
  for (const { id } of revisions) {
    const e = effects.get(id);
    for (const t of e?.creates ?? []) tables.add(t);
    for (const t of e?.drops ?? []) tables.delete(t);
  }
  return tables;
}

/** Tables that the pending revisions drop (and do not create again later), in application order. */
export function droppedTables(pending: readonly { id: string }[], effects: ReadonlyMap<string, RevisionEffects>): string[] {
  const dropped = new Set(pending.flatMap(({ id }) => effects.get(id)?.drops ?? []));
  const after = applyTableChanges(new Set(dropped), pending, effects);
  return [...dropped].filter((t) => !after.has(t));
}

/**
 * The tables a database should have once `pending` ran on it: what it had (tables the app creates itself included,
 * which no migration names), less what they drop, plus what they create.
 */
export function tablesAfter(before: readonly string[], pending: readonly { id: string }[], effects: ReadonlyMap<string, RevisionEffects>): string[] {
  const tables = applyTableChanges(new Set(before), pending, effects);
  if (pending.length) tables.add('alembic_version');
  return [...tables].sort();
}

/** Tables the schema should have once `current` is applied: creates minus drops, in application order. */
export function expectedTables(graph: RevisionGraph, effects: ReadonlyMap<string, RevisionEffects>, current: string[]): string[] {
  const notYet = new Set(pendingRevisions(graph, current).map((r) => r.id));
  const applied = pendingRevisions(graph, []).filter((r) => !notYet.has(r.id));
  const tables = applyTableChanges(new Set(), applied, effects);
  if (current.length) tables.add('alembic_version');
  return [...tables].sort();
}

/** Which of a revision's changes exist in the live schema. */
export function presentEffects(
  e: RevisionEffects,
  live: { tables: Set<string>; columns: Set<string>; indexes: Set<string> },
): { present: string[]; absent: string[] } {
  const present: string[] = [];
  const absent: string[] = [];
  const note = (exists: boolean, what: string) => (exists ? present : absent).push(what);
  for (const t of e.creates) note(live.tables.has(t), `table ${t}`);
  for (const [t, c] of e.columns) note(live.columns.has(`${t}.${c}`), `column ${t}.${c}`);
  for (const [i, t] of e.indexes) note(live.indexes.has(`${t}.${i}`), `index ${i} on ${t}`);
  return { present, absent };
}

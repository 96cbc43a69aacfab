// What each revision does to the schema, read from its `upgrade()` source inside the image (parsed with Python's
// `ast`, never run): tables created (with the columns create_table lists) and dropped, columns and indexes added and
// dropped, its data steps, and what it changes in ways a static reading cannot follow by name. Good enough to say
// which tables a revision should leave, and — after a failed migration on MySQL, where DDL is not rolled back —
// which of the failed revision's changes are its leftovers and which were there before it.
import type { RevisionGraph } from './graph.js';
import { pendingRevisions } from './graph.js';
import { DEFAULT_INI_DIRS } from './probe-script.js';
import type { RunInImage } from './history-probe.js';
import { externalError } from '../errors.js';

export interface RevisionEffects {
  id: string;
  creates: string[];
  drops: string[];
  /** op.add_column */
  columns: [table: string, column: string][];
  /** op.create_index */
  indexes: [index: string, table: string][];
  /** The columns each create_table lists: the initial schema's columns are only here. */
  tableColumns: [table: string, column: string][];
  dropColumns: [table: string, column: string][];
  /** Table '' when drop_index names none. */
  dropIndexes: [index: string, table: string][];
  /** 'op.execute', 'op.bulk_insert', 'raw SQL': steps that change data, which glowworm cannot verify afterwards. */
  dataSteps: string[];
  /**
   * Tables it changes in a way not readable by name (a column added in a loop, DDL in raw SQL, a rename); '*' when
   * even the table is computed. What the schema has of them proves nothing either way.
   */
  opaque: string[];
  /** Other op calls it makes (op.alter_column, op.create_foreign_key …), whose result glowworm does not check. */
  otherOps: string[];
}

/** A table, a column or an index, as `glowworm recover` drops them (`name` is the table's own for a table). */
export interface SchemaObject {
  kind: 'table' | 'column' | 'index';
  table: string;
  name: string;
}

export const EFFECTS_SCRIPT = String.raw`
import ast, json, os, re, sys
dirs = sys.argv[1:]
ini = next((os.path.abspath(os.path.join(d, 'alembic.ini')) for d in dirs if os.path.isfile(os.path.join(d, 'alembic.ini'))), None)
if ini is None:
    sys.stderr.write('no alembic.ini\n'); sys.exit(3)
os.chdir(os.path.dirname(ini))
from alembic.config import Config
from alembic.script import ScriptDirectory
script = ScriptDirectory.from_config(Config(ini))

def name(f):
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None

def on_op(c):
    return isinstance(c.func, ast.Attribute) and name(c.func.value) == 'op'

# op calls that change nothing in the schema; any other op call not read below (alter_column, constraints) is named.
HARMLESS = {'get_bind', 'get_context', 'f', 'inline_literal'}

def lit(n):
    if isinstance(n, ast.Call) and name(n.func) == 'f' and n.args:
        n = n.args[0]
    return n.value if isinstance(n, ast.Constant) and isinstance(n.value, str) else None

def arg(c, i, kw):
    return next((k.value for k in c.keywords if k.arg == kw), c.args[i] if len(c.args) > i else None)

def sql(n):
    if isinstance(n, ast.Call) and name(n.func) == 'text' and n.args:
        n = n.args[0]
    if isinstance(n, ast.JoinedStr):
        return ''.join(v.value if isinstance(v, ast.Constant) else '{}' for v in n.values)
    return lit(n)

# DDL in raw SQL: the tables it changes cannot be followed by name ('*' when the name is computed).
N = r'[\x60"]?([\w{}]+)'
DDL = re.compile('|'.join([
    r'\bALTER\s+TABLE\s+' + N + r'[^;]*?\b(?:ADD|DROP|RENAME|CHANGE)\b',
    r'\b(?:CREATE|DROP)\s+TABLE\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?' + N,
    r'\b(?:CREATE\s+(?:UNIQUE\s+)?|DROP\s+)INDEX\s+\S+\s+ON\s+' + N,
    r'\bRENAME\s+TABLE\s+' + N + r'[\x60"]?\s+TO\s+' + N,
]), re.I)

def effects(rev):
    e = {'id': rev.revision, 'creates': [], 'drops': [], 'columns': [], 'indexes': [], 'tableColumns': [],
         'dropColumns': [], 'dropIndexes': [], 'dataSteps': [], 'opaque': [], 'otherOps': []}
    def opaque(t):
        if (t or '*') not in e['opaque']: e['opaque'].append(t or '*')
    def step(kind):
        if kind not in e['dataSteps']: e['dataSteps'].append(kind)
    try:
        tree = ast.parse(open(rev.path, encoding='utf-8', errors='replace').read())
    except SyntaxError:
        opaque('*'); return e
    body = [n for n in tree.body if not (isinstance(n, ast.FunctionDef) and n.name == 'downgrade')]
    calls = sorted((c for n in body for c in ast.walk(n) if isinstance(c, ast.Call)), key=lambda c: (c.lineno, c.col_offset))
    for c in calls:
        f, t = name(c.func), lit(arg(c, 0, 'table_name'))
        if f == 'create_table':
            if t is None: opaque(None); continue
            e['creates'].append(t)
            for col in c.args[1:]:
                if isinstance(col, ast.Call) and name(col.func) == 'Column':
                    n = lit(col.args[0]) if col.args else None
                    if n is None: opaque(t)
                    else: e['tableColumns'].append([t, n])
                elif isinstance(col, ast.Starred): opaque(t)
        elif f == 'drop_table':
            if t is None: opaque(None)
            else: e['drops'].append(t)
        elif f == 'add_column':
            col = arg(c, 1, 'column')
            n = lit(col.args[0]) if isinstance(col, ast.Call) and col.args else None
            if t is None or n is None: opaque(t)
            else: e['columns'].append([t, n])
        elif f == 'drop_column':
            n = lit(arg(c, 1, 'column_name'))
            if t is None or n is None: opaque(t)
            else: e['dropColumns'].append([t, n])
        elif f in ('create_index', 'drop_index'):
            i, t = lit(arg(c, 0, 'index_name')), lit(arg(c, 1, 'table_name'))
            if i is None or (t is None and f == 'create_index'): opaque(t)
            else: e['indexes' if f == 'create_index' else 'dropIndexes'].append([i, t or ''])
        elif f in ('rename_table', 'batch_alter_table') or (f == 'alter_column' and any(k.arg == 'new_column_name' for k in c.keywords)):
            opaque(t)
            if f == 'rename_table': opaque(lit(arg(c, 1, 'new_table_name')))
        elif f in ('execute', 'exec_driver_sql', 'bulk_insert'):
            step('op.' + f if on_op(c) and f != 'exec_driver_sql' else 'raw SQL')
            if f == 'bulk_insert': continue
            text = sql(c.args[0]) if c.args else None
            if text is None: opaque(None); continue
            for m in DDL.finditer(text):
                for g in m.groups():
                    if g: opaque(None if '{' in g else g)
        elif on_op(c) and f not in HARMLESS and 'op.' + f not in e['otherOps']:
            e['otherOps'].append('op.' + f)
    return e

print(json.dumps([effects(rev) for rev in script.walk_revisions()]))
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

/** The revisions a database at `current` has applied, in the order Alembic applies them (merges included). */
function appliedRevisions(graph: RevisionGraph, current: readonly string[]): { id: string }[] {
  const notYet = new Set(pendingRevisions(graph, current).map((r) => r.id));
  return pendingRevisions(graph, []).filter((r) => !notYet.has(r.id));
}

/** Tables the schema should have once `current` is applied: creates minus drops, in application order. */
export function expectedTables(graph: RevisionGraph, effects: ReadonlyMap<string, RevisionEffects>, current: string[]): string[] {
  const tables = applyTableChanges(new Set(), appliedRevisions(graph, current), effects);
  if (current.length) tables.add('alembic_version');
  return [...tables].sort();
}

/** Tables, `table.column` and `table.index`: the shape of a live schema (verify/half-applied.ts reads one). */
export interface SchemaSets {
  tables: Set<string>;
  columns: Set<string>;
  indexes: Set<string>;
}

/** The schema the image's own migrations define at a revision, and where that reading proves nothing. */
export interface ExpectedSchema extends SchemaSets {
  /** Tables some applied revision changed in a way not readable by name; '*': any table (see RevisionEffects). */
  opaque: Set<string>;
}

const deleteWhere = (set: Set<string>, drop: (key: string) => boolean): void => {
  for (const key of [...set]) if (drop(key)) set.delete(key);
};

/**
 * Fold the effects of every revision up to `current` (merges included) into the schema they define. A revision
 * whose effects are unknown makes every table opaque: what is missing from the fold would be a guess.
 * Within a revision drops go before creates, so a table it re-creates stays: erring towards "it was there" keeps a
 * pre-existing object from ever being taken for a failed revision's leftover.
 */
export function expectedSchemaAt(graph: RevisionGraph, effects: ReadonlyMap<string, RevisionEffects>, current: readonly string[]): ExpectedSchema {
  const s: ExpectedSchema = { tables: new Set(), columns: new Set(), indexes: new Set(), opaque: new Set() };
  for (const { id } of appliedRevisions(graph, current)) {
    const e = effects.get(id);
    if (!e) {
      s.opaque.add('*');
      continue;
    }
    for (const t of e.drops) {
      s.tables.delete(t);
      deleteWhere(s.columns, (k) => k.startsWith(`${t}.`));
      deleteWhere(s.indexes, (k) => k.startsWith(`${t}.`));
    }
    for (const [t, c] of e.dropColumns) s.columns.delete(`${t}.${c}`);
    for (const [i, t] of e.dropIndexes) deleteWhere(s.indexes, (k) => (t ? k === `${t}.${i}` : k.endsWith(`.${i}`)));
    for (const t of e.creates) s.tables.add(t);
    for (const [t, c] of [...e.tableColumns, ...e.columns]) s.columns.add(`${t}.${c}`);
    for (const [i, t] of e.indexes) s.indexes.add(`${t}.${i}`);
    for (const t of e.opaque) s.opaque.add(t);
  }
  return s;
}

/** What a revision creates (tables, added columns, indexes), in that order. */
export function createdObjects(e: RevisionEffects): SchemaObject[] {
  return [
    ...e.creates.map((t): SchemaObject => ({ kind: 'table', table: t, name: t })),
    ...e.columns.map(([table, name]): SchemaObject => ({ kind: 'column', table, name })),
    ...e.indexes.map(([name, table]): SchemaObject => ({ kind: 'index', table, name })),
  ];
}

export function hasObject(schema: SchemaSets, o: SchemaObject): boolean {
  if (o.kind === 'table') return schema.tables.has(o.table);
  return (o.kind === 'column' ? schema.columns : schema.indexes).has(`${o.table}.${o.name}`);
}

/** `table t`, `column t.c`, `index i on t`: the words reports (and the `schema.half-applied` event) use. */
export function describeObject(o: SchemaObject): string {
  return o.kind === 'table' ? `table ${o.table}` : o.kind === 'column' ? `column ${o.table}.${o.name}` : `index ${o.name} on ${o.table}`;
}

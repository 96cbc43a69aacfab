// The Python that reads an image's Alembic history without a database: it loads the migration scripts through
// `alembic.script.ScriptDirectory` only (never env.py, which in GlowWorm imports the app and builds a DB engine) and
// prints one JSON line. Run as `python3 -c PROBE_SCRIPT <dir>...`; the arguments are where to look for alembic.ini.

export const DEFAULT_INI_DIRS = ['.', '/app', '/app/backend', '/backend'] as const;

/** What the script prints, as one JSON document on its own line. */
export interface ProbeOutput {
  ini: string;
  alembic_version: string | null;
  heads: string[];
  revisions: {
    id: string;
    down_revisions: string[];
    message: string;
    branch_labels: string[];
    depends_on: string[];
  }[];
  /** Set when Alembic refused the graph and the raw scripts were read instead. */
  problem?: string;
}

export const PROBE_SCRIPT = String.raw`
import json, os, sys

def as_list(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]

def main():
    dirs = sys.argv[1:] or ['.', '/app', '/app/backend', '/backend']
    ini = None
    for d in dirs:
        candidate = os.path.abspath(os.path.join(d, 'alembic.ini'))
        if os.path.isfile(candidate):
            ini = candidate
            break
    if ini is None:
        sys.stderr.write('no alembic.ini in any of: %s\n' % ', '.join(dirs))
        return 3
    here = os.path.dirname(ini)
    # A relative script_location is relative to the working directory: the app runs alembic from the ini's folder.
    os.chdir(here)
    if here not in sys.path:
        sys.path.insert(0, here)
    import alembic
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    script = ScriptDirectory.from_config(Config(ini))
    problem = None
    try:
        scripts = list(script.walk_revisions())
        heads = list(script.get_heads())
    except Exception as e:
        # Alembic refuses a broken graph (missing down revision, cycle): report the raw scripts so the caller can
        # say precisely what is wrong.
        problem = '%s: %s' % (type(e).__name__, e)
        scripts = list(script._load_revisions())
        heads = []
    revisions = []
    for sc in scripts:
        revisions.append({
            'id': sc.revision,
            'down_revisions': as_list(sc.down_revision),
            'message': ' '.join((getattr(sc, 'doc', '') or '').split()),
            'branch_labels': sorted(as_list(sc.branch_labels)),
            'depends_on': as_list(getattr(sc, 'dependencies', None)),
        })
    out = {'ini': ini, 'alembic_version': getattr(alembic, '__version__', None), 'heads': heads, 'revisions': revisions}
    if problem:
        out['problem'] = problem
    sys.stdout.write('\n' + json.dumps(out) + '\n')
    return 0

sys.exit(main())
`;

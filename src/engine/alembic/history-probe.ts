// Reads the Alembic history a backend image ships, without a database, by running commands in a throwaway container
// of that image (the engine provides `run`; this module never talks to Docker). First the probe script under
// python3 / python; if neither works, the text of `alembic history`.

import { externalError } from '../errors.js';
import { buildGraph, type Revision, type RevisionGraph } from './graph.js';
import { parseHistoryText } from './history-text.js';
import { DEFAULT_INI_DIRS, PROBE_SCRIPT, type ProbeOutput } from './probe-script.js';

import type { RunInImage } from '../docker/in-image.js';

export type { RunInImage } from '../docker/in-image.js';

export interface ImageHistory {
  graph: RevisionGraph;
  source: 'probe-script' | 'alembic-history';
  /** The command that produced it, for messages (the script's body is shown as `<probe>`). */
  command: string;
  /** The alembic.ini used, when the probe script found it. */
  ini: string | null;
  alembicVersion: string | null;
  /** Alembic's own complaints, and disagreements between Alembic's heads and ours. */
  warnings: string[];
}

export interface ProbeOptions {
  /** Where to look for alembic.ini, first match wins. Default: the image's working directory, /app, /app/backend, /backend. */
  iniDirs?: readonly string[];
}

/** Decodes the probe script's stdout: the last line that is a JSON document with `revisions`. Null if there is none. */
export function decodeProbeOutput(stdout: string): ProbeOutput | null {
  const lines = stdout.split(/\r?\n/).filter((line) => line.trimStart().startsWith('{'));
  for (const line of lines.reverse()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    if (isProbeOutput(parsed)) return parsed;
  }
  return null;
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object';

function isProbeRevision(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.message === 'string' &&
    isStringArray(value.down_revisions) &&
    isStringArray(value.branch_labels ?? []) &&
    isStringArray(value.depends_on ?? [])
  );
}

function isProbeOutput(value: unknown): value is ProbeOutput {
  return (
    isRecord(value) &&
    isStringArray(value.heads) &&
    Array.isArray(value.revisions) &&
    (value.revisions as unknown[]).every(isProbeRevision)
  );
}

export function revisionsFromProbe(output: ProbeOutput): Revision[] {
  return output.revisions.map((r) => {
    const revision: Revision = { id: r.id, downRevisions: r.down_revisions, message: r.message };
    if (r.branch_labels?.length) revision.branchLabels = r.branch_labels;
    if (r.depends_on?.length) revision.dependsOn = r.depends_on;
    return revision;
  });
}

function headsWarning(graph: RevisionGraph, reported: string[]): string[] {
  const ours = graph.heads.join(', ');
  const theirs = [...reported].sort().join(', ');
  return ours === theirs ? [] : [`Alembic reports head(s) ${theirs || 'none'}, the graph has ${ours || 'none'}.`];
}

type Decoded = Omit<ImageHistory, 'command' | 'source'>;

interface Attempt {
  display: string;
  cmd: string[];
  source: ImageHistory['source'];
  /** The history in a successful run's stdout, or null when it holds none. */
  decode: (stdout: string) => Decoded | null;
}

function fromProbe(stdout: string): Decoded | null {
  const output = decodeProbeOutput(stdout);
  if (!output) return null;
  const graph = buildGraph(revisionsFromProbe(output));
  const warnings = output.problem ? [output.problem] : headsWarning(graph, output.heads);
  return { graph, ini: output.ini, alembicVersion: output.alembic_version ?? null, warnings };
}

function fromHistoryText(stdout: string): Decoded {
  const parsed = parseHistoryText(stdout);
  const graph = buildGraph(parsed.revisions);
  return { graph, ini: null, alembicVersion: null, warnings: headsWarning(graph, parsed.heads) };
}

const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

function attempts(iniDirs: readonly string[]): Attempt[] {
  const probe = (python: string): Attempt => ({
    display: `${python} -c <probe> ${iniDirs.join(' ')}`,
    cmd: [python, '-c', PROBE_SCRIPT, ...iniDirs],
    source: 'probe-script',
    decode: fromProbe,
  });
  const history = (display: string, cmd: string[]): Attempt => ({
    display,
    cmd,
    source: 'alembic-history',
    decode: fromHistoryText,
  });
  // A relative script_location only resolves from the ini's own folder, hence the `cd`.
  const cdIntoIniDir = iniDirs
    .map((dir) => `if [ -f ${shellQuote(`${dir}/alembic.ini`)} ]; then cd ${shellQuote(dir)} && exec alembic history; fi`)
    .join('; ');
  return [
    probe('python3'),
    probe('python'),
    history('alembic history', ['alembic', 'history']),
    ...iniDirs
      .filter((dir) => dir !== '.')
      .map((dir) => history(`alembic -c ${dir}/alembic.ini history`, ['alembic', '-c', `${dir}/alembic.ini`, 'history'])),
    history('sh -c "cd <ini dir> && exec alembic history"', ['sh', '-c', `${cdIntoIniDir}; exit 3`]),
  ];
}

/**
 * The Alembic history of an image, read without a database. Throws an `alembic.history-unreadable` error naming every
 * command tried when none works, or `alembic.invalid-graph` when the image's revisions do not form a valid graph.
 */
export async function readGraphFromImage(run: RunInImage, options: ProbeOptions = {}): Promise<ImageHistory> {
  const failures: string[] = [];
  for (const attempt of attempts(options.iniDirs ?? DEFAULT_INI_DIRS)) {
    let result: Awaited<ReturnType<RunInImage>>;
    try {
      result = await run(attempt.cmd);
    } catch (error) {
      // Docker refuses to start a command the image does not have (no python3, no alembic on PATH).
      failures.push(`${attempt.display}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const history = result.exitCode === 0 ? attempt.decode(result.stdout) : null;
    if (history) return { ...history, source: attempt.source, command: attempt.display };
    const why = lastLine(result.stderr) || lastLine(result.stdout) || 'no output';
    failures.push(`${attempt.display}: exit ${result.exitCode}: ${why}`);
  }
  throw externalError(
    'alembic.history-unreadable',
    `Could not read the Alembic history from the backend image. Tried:\n  ${failures.join('\n  ')}`,
    `The image should contain alembic and an alembic.ini in one of ${(options.iniDirs ?? DEFAULT_INI_DIRS).join(', ')} ` +
      '(the working directory first). Check that this is a GlowWorm backend image.',
  );
}

function lastLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? ''
  );
}

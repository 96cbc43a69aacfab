// Understands the GlowWorm backend's log as it streams: the start-up script's emoji lines
// (docker/scripts/start-backend-with-migrations.sh), Alembic's `Running upgrade A -> B, message` lines, Python
// tracebacks and uvicorn. Pure functions over one line; the engine turns the results into events.

import type { LogLevel } from '../event-words.js';

export type StartupMarker =
  | 'starting'
  | 'waiting-db'
  | 'db-ready'
  | 'db-unreachable'
  | 'checking-db'
  | 'migrations-running'
  | 'migrations-ok'
  | 'migrations-failed'
  | 'verifying-schema'
  | 'starting-server'
  | 'server-up';

/**
 * One Alembic step as logged by `alembic.runtime.migration` ("Running upgrade A -> B, message"). It is logged when
 * the step STARTS: it was applied only once the next step starts or the run succeeds.
 *
 * `from` is a list: empty from the base (`Running upgrade  -> 000000000001`), two ids for a merge
 * (`Running upgrade c2d3e4f5g6h7, 1c0cd51f0957 -> 366388fee193`). For the event's `from: string | null`,
 * use `from.join(', ') || null`.
 */
export interface MigrationStep {
  kind: 'upgrade' | 'downgrade' | 'stamp';
  from: string[];
  /** The revision being applied. A downgrade to the base has `''`; one that un-merges has the first target only. */
  to: string;
  message: string | null;
}

export interface ClassifiedLogLine {
  /** The line without ANSI colours, docker's timestamp and a trailing CR. */
  text: string;
  level: LogLevel;
  marker?: StartupMarker;
  migration?: MigrationStep;
  /** `⏳ Waiting for MySQL... (attempt 3/30)`, `❌ Failed to connect to MySQL after 30 attempts`. */
  attempt?: { n: number; of: number };
  /** `❌ Migration failed with return code 1`. */
  returnCode?: number;
}

// CSI sequences (colours, cursor) and OSC sequences (titles, links).
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;
// `docker logs --timestamps` / dockerode `timestamps: true`: RFC 3339 with nanoseconds, then one space.
const DOCKER_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) /;

/** When docker says the line was written (`timestamps: true`), in ms since the epoch; null for a line without. */
export function dockerTimestamp(raw: string): number | null {
  const stamp = DOCKER_TIMESTAMP.exec(raw)?.[0];
  return stamp === undefined ? null : Date.parse(stamp.trimEnd());
}

export function cleanLogLine(raw: string): string {
  return raw.replace(ANSI, '').replace(/\r$/, '').replace(DOCKER_TIMESTAMP, '');
}

// Ordered: the first match wins. Matched on the words, not only the emoji, so a log that lost its emoji still reads.
const MARKERS: [StartupMarker, RegExp][] = [
  ['starting', /Starting GlowWorm Backend/i],
  ['db-ready', /MySQL is ready/i],
  ['db-unreachable', /Failed to connect to MySQL/i],
  ['waiting-db', /Waiting for MySQL/i],
  ['checking-db', /Checking database existence/i],
  ['migrations-running', /Running database migrations/i],
  ['migrations-ok', /Database migrations completed successfully/i],
  ['migrations-failed', /Migration failed with return code|Failed to run migrations/i],
  ['verifying-schema', /Verifying database schema/i],
  ['starting-server', /Starting backend server/i],
  ['server-up', /Application startup complete|Uvicorn running on/],
];

const ALEMBIC_STEP = /\bRunning (upgrade|downgrade|stamp_revision) (.*?) ?-> ([^\s,]*)(?:, (.*))?$/;
const STEP_KIND = { upgrade: 'upgrade', downgrade: 'downgrade', stamp_revision: 'stamp' } as const;

export function parseMigrationStep(text: string): MigrationStep | undefined {
  const m = ALEMBIC_STEP.exec(text);
  if (!m) return undefined;
  const [, verb, from = '', to = '', message] = m;
  return {
    kind: STEP_KIND[verb as keyof typeof STEP_KIND],
    from: from.split(',').map((id) => id.trim()).filter(Boolean),
    to,
    message: message?.trim() || null,
  };
}

// `KeyError: 'x'`, `sqlalchemy.exc.OperationalError: (…)`, `pymysql.err.OperationalError: (1060, "…")`,
// `alembic.util.exc.CommandError: Can't locate revision …`.
const PYTHON_EXCEPTION = /^(?:[A-Za-z_]\w*\.)*(?:(?:[A-Z]\w*)?(?:Error|Exception)|(?:exc|err|errors)\.[A-Z]\w*)(?::|$)/;
// Alembic's CLI prints a CommandError as `FAILED: …` and exits 1.
const ALEMBIC_FAILED = /^FAILED: /;

/** A line that states an exception: Python's last traceback line, or Alembic's `FAILED: …`. */
export function isExceptionLine(text: string): boolean {
  const body = text.trimStart();
  return PYTHON_EXCEPTION.test(body) || ALEMBIC_FAILED.test(body);
}
const PYTHON_WARNING = /^(?:\S+: )?(?:[A-Za-z_]\w*\.)*[A-Z]\w*Warning: /;
const TRACEBACK =
  /^(?:Traceback \(most recent call last\)|The above exception was the direct cause|During handling of the above exception)/;
// The first level word decides: `INFO  [alembic…] … add ERROR column` is info, `[…: WARNING/MainProcess]` a warning.
const LEVEL_WORD = /\b(DEBUG|INFO|NOTICE|WARNING|WARN|ERROR|CRITICAL|FATAL)\b/;
const LEVEL_OF_WORD: Record<string, LogLevel> = {
  DEBUG: 'info',
  INFO: 'info',
  NOTICE: 'info',
  WARNING: 'warn',
  WARN: 'warn',
  ERROR: 'error',
  CRITICAL: 'error',
  FATAL: 'error',
};

function levelOf(text: string): LogLevel {
  // The script's emoji are its own levels. `✅ …` is never an error, and the always-printed, stale
  // `⚠️  Missing tables: [...]` is only a warning.
  if (text.includes('❌')) return 'error';
  if (text.includes('✅')) return 'info';
  if (text.includes('⚠')) return 'warn';
  const body = text.trimStart();
  if (body.startsWith('Error output:') || TRACEBACK.test(body)) return 'error';
  if (isExceptionLine(body)) return 'error';
  if (PYTHON_WARNING.test(body)) return 'warn';
  const word = LEVEL_WORD.exec(text)?.[1];
  if (word) return LEVEL_OF_WORD[word] ?? 'info';
  if (/\bFAILED\b/.test(text)) return 'error';
  return 'info';
}

/**
 * Classifies one line of the backend's output. `stream` does not raise the level: Alembic and uvicorn write their
 * INFO lines to stderr, and the start-up script prints Alembic's captured stderr on stdout.
 */
export function classifyLogLine(raw: string, _stream: 'stdout' | 'stderr'): ClassifiedLogLine {
  const text = cleanLogLine(raw);
  const line: ClassifiedLogLine = { text, level: levelOf(text) };
  const marker = MARKERS.find(([, pattern]) => pattern.test(text))?.[0];
  if (marker) line.marker = marker;
  const migration = parseMigrationStep(text);
  if (migration) line.migration = migration;
  const attempt = /\battempt (\d+)\/(\d+)/.exec(text) ?? /\bafter (\d+) attempts/.exec(text);
  if (attempt && (marker === 'waiting-db' || marker === 'db-unreachable')) {
    const n = Number(attempt[1]);
    line.attempt = { n, of: attempt[2] === undefined ? n : Number(attempt[2]) };
  }
  const returnCode = /return code (-?\d+)/.exec(text);
  if (returnCode && marker === 'migrations-failed') line.returnCode = Number(returnCode[1]);
  return line;
}

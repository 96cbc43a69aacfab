// Reads a failed migration run out of the backend's output. The start-up script prints Alembic's captured stderr
// after `❌ Migration failed with return code N` as `Error output: …`, so the `Running upgrade` lines and the
// traceback arrive together, after the fact.

import { classifyLogLine, isExceptionLine, type MigrationStep } from './log-line.js';

export interface MigrationFailure {
  /** The revision Alembic was applying when it failed; null when it failed before any (`Can't locate revision`). */
  revision: string | null;
  /**
   * What `alembic_version` still holds: the failed step's down revisions. On MySQL the failed revision's DDL is
   * not rolled back, so the schema may already be half way to `revision`.
   */
  from: string[];
  message: string | null;
  /** The database's own words, `(1060, "Duplicate column name 'resolution_width'")`, else the last exception line. */
  error: string | null;
  /** The MySQL error number of `error`, when it is a database error. */
  errorCode: number | null;
  /** From `❌ Migration failed with return code N`. */
  returnCode: number | null;
}

// pymysql's error tuple; the message is quoted with whichever quote it does not contain.
const DB_ERROR = /\((\d{3,5}), (["'])(.*?)\2\)/;
// The script prefixes the first line of each captured stream.
const CAPTURE_PREFIX = /^(?:Error output|Standard output|Migration output): /;

/**
 * The revision that failed: the last `Running upgrade X -> Y` not followed by `✅ Database migrations completed
 * successfully`, with the error that stopped it. Null when the lines show no failed migration. Lines may be raw
 * (timestamps, colours); several restarts in a row are fine, the last attempt counts.
 */
export function failedRevisionFromOutput(lines: readonly string[]): MigrationFailure | null {
  let step: MigrationStep | null = null;
  let dbError: RegExpExecArray | null = null;
  let exception: string | null = null;
  let returnCode: number | null = null;

  for (const raw of lines) {
    const line = classifyLogLine(raw, 'stdout');
    if (line.marker === 'migrations-ok' || line.marker === 'migrations-running') {
      // Success, or a new attempt after a restart: what came before does not describe the last run.
      step = dbError = exception = returnCode = null;
      continue;
    }
    if (line.migration?.kind === 'upgrade') {
      // A new step: errors seen so far belong to an earlier one. The return code is printed before the steps.
      step = line.migration;
      dbError = exception = null;
      continue;
    }
    if (line.returnCode !== undefined) returnCode = line.returnCode;
    const text = line.text.trimStart().replace(CAPTURE_PREFIX, '');
    if (!isExceptionLine(text)) continue;
    exception = text;
    dbError = DB_ERROR.exec(text) ?? dbError;
  }

  if (!step && !exception && returnCode === null) return null;
  return {
    revision: step?.to ?? null,
    from: step?.from ?? [],
    message: step?.message ?? null,
    error: dbError?.[0] ?? exception,
    errorCode: dbError ? Number(dbError[1]) : null,
    returnCode,
  };
}

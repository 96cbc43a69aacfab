import { describe, expect, it } from 'vitest';
import { failedMigrationRun, successfulStart, unknownRevisionRun } from './backend-log.fixture.js';
import { failedRevisionFromOutput } from './migration-failure.js';

const duplicateColumn = {
  revision: 'ce5826f818f3',
  from: ['366388fee193'],
  message: 'add playlist variants for resolution',
  error: '(1060, "Duplicate column name \'resolution_width\'")',
  errorCode: 1060,
  returnCode: 1,
};

describe('failedRevisionFromOutput', () => {
  it("names the revision that failed, where alembic_version stayed, and MySQL's own error", () => {
    expect(failedRevisionFromOutput(failedMigrationRun)).toEqual(duplicateColumn);
  });

  it('takes the last step when several ran before the failure', () => {
    const lines = [
      '❌ Migration failed with return code 1',
      'Error output: INFO  [alembic.runtime.migration] Running upgrade a1b2c3d4e5f6 -> 1c0cd51f0957, add scheduled playlists table',
      'INFO  [alembic.runtime.migration] Running upgrade a1b2c3d4e5f6 -> c2d3e4f5g6h7, create user logs table',
      'INFO  [alembic.runtime.migration] Running upgrade c2d3e4f5g6h7, 1c0cd51f0957 -> 366388fee193, merge display mode and system settings',
      'Traceback (most recent call last):',
      'pymysql.err.OperationalError: (1265, "Data truncated for column \'display_mode\' at row 1")',
      'sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) (1265, "Data truncated for column \'display_mode\' at row 1")',
    ];
    expect(failedRevisionFromOutput(lines)).toMatchObject({
      revision: '366388fee193',
      from: ['c2d3e4f5g6h7', '1c0cd51f0957'],
      error: '(1265, "Data truncated for column \'display_mode\' at row 1")',
      errorCode: 1265,
    });
  });

  it('reads the last attempt of a restart loop, with timestamps', () => {
    const stamped = (lines: string[], second: number): string[] =>
      lines.map((l) => `2025-11-25T15:2${second}:00.000000000Z ${l}`);
    const loop = [...stamped(failedMigrationRun, 0), ...stamped(failedMigrationRun, 1)];
    expect(failedRevisionFromOutput(loop)).toEqual(duplicateColumn);
  });

  it('sees no failure once a later attempt succeeded', () => {
    expect(failedRevisionFromOutput([...failedMigrationRun, ...successfulStart])).toBeNull();
    expect(failedRevisionFromOutput(successfulStart)).toBeNull();
    expect(failedRevisionFromOutput([])).toBeNull();
  });

  it("reports Alembic's refusal when it fails before any step (database newer than the image)", () => {
    expect(failedRevisionFromOutput(unknownRevisionRun)).toEqual({
      revision: null,
      from: [],
      message: null,
      error: "FAILED: Can't locate revision identified by '2024110901'",
      errorCode: null,
      returnCode: 255,
    });
  });

  it('keeps a step that was running when the output stopped, without an error', () => {
    expect(
      failedRevisionFromOutput(['INFO  [alembic.runtime.migration] Running upgrade ce5826f818f3 -> 2024110900, add device daemon tables']),
    ).toEqual({ revision: '2024110900', from: ['ce5826f818f3'], message: 'add device daemon tables', error: null, errorCode: null, returnCode: null });
  });

  it('uses the last exception line when the error is not a MySQL one', () => {
    const lines = [
      'INFO  [alembic.runtime.migration] Running upgrade  -> 000000000001, initial schema',
      'Traceback (most recent call last):',
      "ModuleNotFoundError: No module named 'models'",
    ];
    expect(failedRevisionFromOutput(lines)).toMatchObject({
      revision: '000000000001',
      from: [],
      error: "ModuleNotFoundError: No module named 'models'",
      errorCode: null,
    });
  });
});

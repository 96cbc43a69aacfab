import { describe, expect, it } from 'vitest';
import { failedMigrationRun, successfulStart } from './backend-log.fixture.js';
import { classifyLogLine, cleanLogLine, dockerTimestamp, parseMigrationStep, type ClassifiedLogLine } from './log-line.js';

const classify = (line: string): ClassifiedLogLine => classifyLogLine(line, 'stdout');
const summary = (lines: string[]): string[] =>
  lines.map((line) => {
    const c = classify(line);
    return `${c.level} ${c.marker ?? '-'} ${c.text}`;
  });

describe('dockerTimestamp', () => {
  it("reads the time docker wrote before a line (nanoseconds, an offset), and nothing from a line without one", () => {
    expect(dockerTimestamp('2025-11-25T15:20:10.901331337Z INFO: up')).toBe(Date.UTC(2025, 10, 25, 15, 20, 10, 901));
    expect(dockerTimestamp('2025-11-25T15:20:10+01:00 ✅ MySQL is ready!')).toBe(Date.UTC(2025, 10, 25, 14, 20, 10));
    expect(dockerTimestamp('at 2025-11-25T15:20:10Z x')).toBeNull();
  });
});

describe('cleanLogLine', () => {
  it("strips docker's timestamp, colours and a trailing CR", () => {
    expect(cleanLogLine('2025-11-25T15:20:10.901331337Z \x1b[32mINFO\x1b[0m:     Application startup complete.\r')).toBe(
      'INFO:     Application startup complete.',
    );
    expect(cleanLogLine('2025-11-25T15:20:10+01:00 ✅ MySQL is ready!')).toBe('✅ MySQL is ready!');
    expect(cleanLogLine('\x1b]0;title\x07plain')).toBe('plain');
    // A timestamp inside the text is the app's, not docker's.
    expect(cleanLogLine('at 2025-11-25T15:20:10Z x')).toBe('at 2025-11-25T15:20:10Z x');
  });
});

describe('classifyLogLine on a successful start', () => {
  it('marks every step of the start-up script, with levels', () => {
    expect(summary(successfulStart)).toEqual([
      'info starting 🚀 Starting GlowWorm Backend with Migration Support...',
      'info waiting-db ⏳ Waiting for MySQL to be ready...',
      'info waiting-db ⏳ Waiting for MySQL... (attempt 1/30)',
      'info waiting-db ⏳ Waiting for MySQL... (attempt 2/30)',
      'info db-ready ✅ MySQL is ready!',
      'info checking-db 🔍 Checking database existence...',
      'info - ✅ Database glowworm already exists',
      'info migrations-running 🔄 Running database migrations...',
      'info migrations-ok ✅ Database migrations completed successfully',
      'info verifying-schema 🔍 Verifying database schema...',
      "warn - ⚠️  Missing tables: ['playlist_images', 'displays', 'display_playlists']",
      "info - 📊 Found 14 tables: ['albums', 'alembic_version', 'device_commands', 'device_daemon_status']",
      'info - ',
      'info - 🔍 Checking if background processing migration is needed...',
      'info - 🔄 First startup after background processing upgrade detected',
      'info - ✅ Background processing migration completed successfully',
      'info starting-server 🚀 Starting backend server...',
      'info - INFO:     Started server process [1]',
      'info - INFO:     Waiting for application startup.',
      'info server-up INFO:     Application startup complete.',
      'info server-up INFO:     Uvicorn running on http://0.0.0.0:8001 (Press CTRL+C to quit)',
    ]);
  });

  it('parses the wait attempts', () => {
    expect(classify(successfulStart[2] as string).attempt).toEqual({ n: 1, of: 30 });
    expect(classify('⏳ Waiting for MySQL to be ready...').attempt).toBeUndefined();
  });

  it('reads the markers without their emoji too', () => {
    expect(classify('Database migrations completed successfully').marker).toBe('migrations-ok');
    expect(classify('Migration failed with return code 2')).toMatchObject({ marker: 'migrations-failed', returnCode: 2 });
  });
});

describe('classifyLogLine on failures', () => {
  it('classifies the whole ❌ block of a failed migration', () => {
    expect(summary(failedMigrationRun.slice(6, 28))).toEqual([
      'error migrations-failed ❌ Migration failed with return code 1',
      'error - Error output: INFO  [alembic.runtime.migration] Context impl MySQLImpl.',
      'info - INFO  [alembic.runtime.migration] Will assume non-transactional DDL.',
      'info - INFO  [alembic.runtime.migration] Running upgrade 366388fee193 -> ce5826f818f3, add playlist variants for resolution',
      'error - Traceback (most recent call last):',
      'info -   File "/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py", line 1967, in _exec_single_context',
      'info -     self.dialect.do_execute(',
      'info -   File "/usr/local/lib/python3.11/site-packages/pymysql/err.py", line 150, in raise_mysql_exception',
      'info -     raise errorclass(errno, errval)',
      'error - pymysql.err.OperationalError: (1060, "Duplicate column name \'resolution_width\'")',
      'info - ',
      'error - The above exception was the direct cause of the following exception:',
      'info - ',
      'error - Traceback (most recent call last):',
      'info -   File "<frozen runpy>", line 198, in _run_module_as_main',
      'info -   File "/app/alembic/versions/ce5826f818f3_add_playlist_variants_for_resolution_.py", line 24, in upgrade',
      "info -     op.add_column('display_devices', sa.Column('resolution_width', sa.Integer(), nullable=True))",
      'error - sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) (1060, "Duplicate column name \'resolution_width\'")',
      'info - [SQL: ALTER TABLE display_devices ADD COLUMN resolution_width INTEGER]',
      'info - (Background on this error at: https://sqlalche.me/e/20/e3q8)',
      'info - ',
      'info - 🔍 Checking current migration status...',
    ]);
    expect(classify('❌ Migration failed with return code 1').returnCode).toBe(1);
  });

  it('marks an unreachable database with its attempts', () => {
    const line = classify(
      '❌ Failed to connect to MySQL after 30 attempts: (pymysql.err.OperationalError) (2003, "Can\'t connect to MySQL server on \'glowworm-mysql\' ([Errno -2] Name or service not known)")',
    );
    expect(line).toMatchObject({ level: 'error', marker: 'db-unreachable', attempt: { n: 30, of: 30 } });
  });

  it.each([
    ["alembic.util.exc.CommandError: Can't locate revision identified by '2024110901'", 'error'],
    ["FAILED: Can't locate revision identified by '2024110901'", 'error'],
    ['KeyError: \'resolution_width\'', 'error'],
    ['Exception: boom', 'error'],
    ['ERROR:    Exception in ASGI application', 'error'],
    ['2025-11-25 15:20:01,123 - glowworm.api - ERROR - settings lookup failed', 'error'],
    ['[2025-11-25 15:20:01,123: CRITICAL/MainProcess] Unrecoverable error', 'error'],
    ['test_settings_api FAILED', 'error'],
    ['❌ Failed to check/create database: (1045, "Access denied for user \'glowworm\'@\'172.18.0.4\'")', 'error'],
    ['WARNING:  Invalid HTTP request received.', 'warn'],
    ['[2025-11-25 15:20:01,123: WARNING/MainProcess] consumer: Cannot connect to redis://glowworm-redis:6379/0', 'warn'],
    ['WARN  [alembic.env] no target metadata', 'warn'],
    ["/usr/local/lib/python3.11/site-packages/sqlalchemy/sql/schema.py:3596: SAWarning: Can't validate argument", 'warn'],
    ['⚠️  Background processing migration failed', 'warn'],
    // The first level word decides; an ERROR inside an info line (an enum value in a message) does not.
    ["INFO  [alembic.runtime.migration] Running upgrade a1b2c3d4e5f6 -> c2d3e4f5g6h7, add ERROR to log level enum", 'info'],
    ['INFO:     172.18.0.5:51234 - "GET /api/settings HTTP/1.1" 500 Internal Server Error', 'info'],
    ['Error handling is fine here', 'info'],
  ] as const)('%s → %s', (line, level) => {
    expect(classify(line).level).toBe(level);
  });

  it('does not let stderr alone make a line an error (alembic and uvicorn log INFO there)', () => {
    expect(classifyLogLine('INFO  [alembic.runtime.migration] Context impl MySQLImpl.', 'stderr').level).toBe('info');
    expect(classifyLogLine('INFO:     Application startup complete.', 'stderr').marker).toBe('server-up');
  });
});

describe('Alembic migration lines', () => {
  it('reads an upgrade from one revision', () => {
    const line = classify(
      'INFO  [alembic.runtime.migration] Running upgrade a1b2c3d4e5f6 -> c2d3e4f5g6h7, create user logs table',
    );
    expect(line.level).toBe('info');
    expect(line.migration).toEqual({
      kind: 'upgrade',
      from: ['a1b2c3d4e5f6'],
      to: 'c2d3e4f5g6h7',
      message: 'create user logs table',
    });
  });

  it('reads the first upgrade from the base (no from) with non-hex ids', () => {
    expect(parseMigrationStep('INFO  [alembic.runtime.migration] Running upgrade  -> 000000000001, initial schema')).toEqual(
      { kind: 'upgrade', from: [], to: '000000000001', message: 'initial schema' },
    );
    expect(parseMigrationStep('Running upgrade ce5826f818f3 -> 2024110900, add device daemon tables')?.to).toBe('2024110900');
  });

  it('reads a merge as a list of from revisions', () => {
    expect(
      parseMigrationStep(
        'INFO  [alembic.runtime.migration] Running upgrade c2d3e4f5g6h7, 1c0cd51f0957 -> 366388fee193, merge display mode, and settings',
      ),
    ).toEqual({
      kind: 'upgrade',
      from: ['c2d3e4f5g6h7', '1c0cd51f0957'],
      to: '366388fee193',
      message: 'merge display mode, and settings',
    });
  });

  it('reads stamps, downgrades and a step without a message; other Alembic lines carry none', () => {
    expect(parseMigrationStep('INFO  [alembic.runtime.migration] Running stamp_revision  -> 000000000001')).toEqual({
      kind: 'stamp',
      from: [],
      to: '000000000001',
      message: null,
    });
    expect(parseMigrationStep('Running downgrade c2d3e4f5g6h7 -> a1b2c3d4e5f6, create user logs table')?.kind).toBe('downgrade');
    expect(classify('INFO  [alembic.runtime.migration] Will assume non-transactional DDL.')).toEqual({
      text: 'INFO  [alembic.runtime.migration] Will assume non-transactional DDL.',
      level: 'info',
    });
    expect(classify('🔄 Running database migrations...').migration).toBeUndefined();
  });

  it('reads a step glued to the script\'s "Error output: " prefix, with a timestamp and colours', () => {
    const line = classify(
      '2025-11-25T15:20:07.000000001Z Error output: \x1b[37mINFO\x1b[0m  [alembic.runtime.migration] Running upgrade 366388fee193 -> ce5826f818f3, add playlist variants',
    );
    expect(line.level).toBe('error');
    expect(line.migration?.to).toBe('ce5826f818f3');
  });
});

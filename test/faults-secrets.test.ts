// Secrets after faults (issue 9), on one real rig stack: a run SIGKILLed in the middle of the settings probe leaves
// its admin session row, and the next run removes it (never a user's own session); during that whole next upgrade,
// rehearsed, a watcher of every process's command line on the host sees no password, no SECRET_KEY and none of the
// probe's session tokens; and the rehearsal container gets only the database settings Alembic needs.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alembicRevision, databaseAddress, dbQuery, docker, stackDown, stackEnv, stackUp, tmpStackDir, type Stack } from './rig/index.js';
import { watchCmdlines } from './support/cmdline-watcher.js';
import { BIN, eventsOf, runGlowworm, type CliRun } from './support/run-glowworm.js';

const PROBE_DEVICE = 'glowworm upgrade probe';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface SessionRow {
  id: number;
  session_token: string;
  user_agent: string | null;
}

/** Polls user_sessions on one connection, every few ms: the probe's row lives only while its request runs. */
function pollProbeSessions(stack: Stack, onRow?: (row: SessionRow) => void) {
  const tokens = new Set<string>();
  let stopped = false;
  const loop = (async () => {
    const env = stackEnv(stack);
    let db: mysql.Connection | null = null;
    while (!stopped) {
      try {
        db ??= await mysql.createConnection({ host: await databaseAddress(stack), user: 'root', password: env['MYSQL_ROOT_PASSWORD'], database: 'glowworm' });
        const [rows] = await db.query<mysql.RowDataPacket[]>('SELECT id, session_token, user_agent FROM user_sessions WHERE device_name = ?', [PROBE_DEVICE]);
        for (const r of rows) {
          tokens.add(String(r['session_token']));
          onRow?.(r as unknown as SessionRow);
        }
      } catch {
        await db?.end().catch(() => undefined);
        db = null;
      }
      await sleep(5);
    }
    await db?.end().catch(() => undefined);
  })();
  return { stop: async () => ((stopped = true), await loop, tokens) };
}

async function probeRows(stack: Stack): Promise<SessionRow[]> {
  return dbQuery<SessionRow[]>(stack, 'SELECT id, session_token, user_agent FROM user_sessions WHERE device_name = ? ORDER BY id', [PROBE_DEVICE]);
}

/** Env entries the container adds to its image's own (PATH and the like are the image's, not ours to judge). */
async function addedEnv(container: string): Promise<string[]> {
  const env = JSON.parse((await docker(['inspect', '--format', '{{json .Config.Env}}', container])).stdout) as string[];
  const image = (await docker(['inspect', '--format', '{{.Config.Image}}', container])).stdout.trim();
  const own = new Set(JSON.parse((await docker(['image', 'inspect', '--format', '{{json .Config.Env}}', image])).stdout) as string[]);
  return env.filter((e) => !own.has(e));
}

describe('secrets after faults', () => {
  const dir = tmpStackDir('faults-secrets');
  let stack: Stack;
  let userSession: string;
  let killedToken: string;
  let secrets: Record<string, string>;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.0.0', dir, prefix: `s${randomBytes(3).toString('hex')}-` });
    const env = stackEnv(stack);
    secrets = { MYSQL_ROOT_PASSWORD: env['MYSQL_ROOT_PASSWORD']!, MYSQL_PASSWORD: env['MYSQL_PASSWORD']!, SECRET_KEY: env['SECRET_KEY']! };
    // A user's own session, logged in through the app (credentials on stdin, not argv): no sweep may touch it.
    const login = await docker(['exec', '-i', `${stack.prefix}glowworm-backend`, 'curl', '-sS', '-c', '-', '-H', 'Content-Type: application/json',
      '--data-binary', '@-', 'http://localhost:8001/api/auth/login'], { input: JSON.stringify(stack.admin) });
    userSession = /glowworm_session\s+(\S+)/.exec(login.stdout)?.[1] ?? '';
    expect(userSession, login.stdout + login.stderr).not.toBe('');
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  it('a run SIGKILLed right after the probe created its session leaves the row, marked as the probe’s', async () => {
    const child = spawn(process.execPath, [BIN, 'upgrade', '--project-dir', dir, '--to', '1.1.0', '--yes', '--json'], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const poll = pollProbeSessions(stack, (row) => {
      killedToken ||= row.session_token;
      child.kill('SIGKILL');
    });
    expect(await exited).toBe('SIGKILL');
    await poll.stop();
    expect(killedToken, 'the run ended before its settings probe').toBeTruthy();
    const left = await probeRows(stack);
    expect(left.map((r) => r.session_token), 'the kill came after the probe had removed its session').toEqual([killedToken]);
    expect(left[0]!.user_agent).toBe(`glowworm-probe ${hostname()}/${child.pid}`);
  });

  describe('the next upgrade, rehearsed, watched', () => {
    let run: CliRun;
    let cmdlines: string[];
    let scans: number;
    let tokens: Set<string>;
    const rehearsalEnvs: string[][] = [];
    let liveProbe: string;

    beforeAll(async () => {
      // A probe session of a glowworm still running (this process, as far as its mark says), not expired: in use.
      liveProbe = `live-${randomBytes(16).toString('hex')}`;
      await dbQuery(stack, `INSERT INTO user_sessions (user_id, session_token, expires_at, user_agent, device_name, device_type)
        SELECT id, ?, UTC_TIMESTAMP() + INTERVAL 5 MINUTE, ?, ?, 'admin' FROM users WHERE role = 'admin' ORDER BY id LIMIT 1`,
      [liveProbe, `glowworm-probe ${hostname()}/${process.pid}`, PROBE_DEVICE]);
      const watch = watchCmdlines();
      const poll = pollProbeSessions(stack);
      let watching = true;
      const rehearsal = (async () => {
        while (watching) {
          const ids = (await docker(['ps', '-q', '--filter', 'label=io.glowworm.role=rehearsal', '--filter', `label=io.glowworm.project=${stack.project}`])).stdout.split('\n').filter(Boolean);
          for (const id of ids) {
            const env = await addedEnv(id).catch(() => null); // gone between ps and inspect
            if (env) rehearsalEnvs.push(env);
          }
          await sleep(50);
        }
      })();
      try {
        run = await runGlowworm(['upgrade', '--project-dir', dir, '--to', '1.1.0', '--yes', '--json', '--rehearse']);
      } finally {
        watching = false;
        await rehearsal;
        tokens = await poll.stop();
        ({ cmdlines, scans } = await watch.stop());
      }
    });

    it('succeeds, rehearsal included', async () => {
      expect(run.code, run.stdout.slice(-3000)).toBe(0);
      expect(eventsOf(run, 'rehearsal.completed')).toEqual([expect.objectContaining({ ok: true })]);
      expect(await alembicRevision(stack)).toBe('ce5826f818f3');
    });

    it('removed the killed run’s probe session, and left the user’s session and a live probe’s alone', async () => {
      const rows = await dbQuery<{ session_token: string }[]>(stack, 'SELECT session_token FROM user_sessions');
      const left = rows.map((r) => r.session_token);
      expect(left).not.toContain(killedToken);
      expect(left).toContain(userSession);
      expect(left).toContain(liveProbe);
    });

    it('no command line on the host held a database password, SECRET_KEY or a probe session token', () => {
      tokens.delete(liveProbe);
      tokens.delete(killedToken);
      // The watch saw what it had to: the probe's sessions (baseline and verify) and its curl processes themselves.
      expect(tokens.size).toBeGreaterThanOrEqual(2);
      expect(cmdlines.filter((c) => /curl .*\/api\/settings/.test(c)).length, `${scans} scans`).toBeGreaterThan(0);
      const watched = { ...secrets, ...Object.fromEntries([...tokens].map((t, i) => [`probe token ${i + 1}`, t])) };
      const leaks = Object.entries(watched).flatMap(([name, value]) => cmdlines.filter((c) => c.includes(value)).map((c) => `${name} in: ${c.replaceAll(value, '<' + name + '>')}`));
      expect(leaks).toEqual([]);
    });

    it('gave the rehearsal container only the database settings, pointed at the copy', () => {
      expect(rehearsalEnvs.length, 'the rehearsal container was never seen running').toBeGreaterThan(0);
      for (const env of rehearsalEnvs) {
        expect(env.map((e) => e.slice(0, e.indexOf('='))).sort()).toEqual(['MYSQL_DATABASE', 'MYSQL_HOST', 'MYSQL_PASSWORD', 'MYSQL_PORT', 'MYSQL_USER']);
        expect(env).toContain('MYSQL_HOST=rehearsal-db');
        for (const value of Object.values(secrets)) expect(env.join('\n')).not.toContain(value);
      }
    });
  });
});

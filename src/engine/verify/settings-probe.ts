// "The settings API is gone after I pulled the new image" is the bug this tool exists for, and the real endpoint
// swallows DB errors and still answers 200: `{"success": true, "settings": {...}}` holding only the bootstrap
// settings (upstream backend/api/settings.py), or `{}` in the release our facts describe. A 200 proves nothing. The
// probe asks the API as a logged-in admin and compares the answer with the `system_settings` rows in the database.
//
// Logging in needs a password we do not have; instead we mint a short-lived session row for an active admin in
// `user_sessions` (the app's own session table, cookie `glowworm_session`), use it once, and delete it. A run killed
// in between cannot delete it: the row is marked with what the app itself stores about a client (device name, user
// agent), the agent naming its maker, so the next probe removes what dead probes left (sweepProbeSessions).
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { RowDataPacket } from 'mysql2/promise';
import type { DockerPort } from '../docker/port.js';
import type { Db } from '../db/connection.js';
import { listColumns } from '../db/schema.js';
import { parseOwner, type SweepOptions } from '../docker/throwaway-owner.js';
import { processAlive } from '../host-process.js';
import type { Redactor } from '../secrets.js';
import { httpGetInContainer } from './http-probe.js';

// A leftover probe row is a working admin login for its last minutes. Only ours are removed: the device name marks a
// probe's row and the user agent names its maker (`glowworm-probe host/pid`), as throwaway containers carry theirs. A
// user's own session never has that device name; a probe of a glowworm still running (another project's) stays.
export const PROBE_DEVICE_NAME = 'glowworm upgrade probe';
const AGENT = 'glowworm-probe ';

/** The user agent a probe session is stored with: it names this process as its maker. */
export function probeUserAgent(): string {
  return `${AGENT}${hostname()}/${process.pid}`;
}

/** Whether a probe row may go: expired (useless to anyone), or made by a process of this host that is gone. */
export function isLeftoverProbe(row: { userAgent: string | null; expired: boolean }, opts: SweepOptions = {}): boolean {
  if (row.expired) return true;
  const owner = row.userAgent?.startsWith(AGENT) ? parseOwner(row.userAgent.slice(AGENT.length)) : null;
  if (!owner || owner.host !== (opts.host ?? hostname()) || owner.pid === process.pid) return false;
  return !(opts.alive ?? processAlive)(owner.pid);
}

/** Delete the probe sessions killed runs left; returns how many. */
export async function sweepProbeSessions(db: Db, opts: SweepOptions = {}): Promise<number> {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT id, user_agent, expires_at < UTC_TIMESTAMP() AS expired FROM user_sessions WHERE device_name = ?',
    [PROBE_DEVICE_NAME],
  );
  const ids = rows
    .filter((r) => isLeftoverProbe({ userAgent: r['user_agent'] === null ? null : String(r['user_agent']), expired: Number(r['expired']) === 1 }, opts))
    .map((r) => Number(r['id']));
  if (ids.length) await db.query('DELETE FROM user_sessions WHERE id IN (?) AND device_name = ?', [ids, PROBE_DEVICE_NAME]);
  return ids.length;
}

export interface SettingsProbeResult {
  ok: boolean;
  /** How it failed, stable from run to run (the HTTP status, the kind of wrong answer); null when ok. */
  failure: string | null;
  detail: string;
}

const fail = (failure: string, detail: string): SettingsProbeResult => ({ ok: false, failure, detail });

async function pickAdmin(db: Db): Promise<number | null> {
  const columns = new Set((await listColumns(db)).filter((c) => c.table === 'users').map((c) => c.column));
  const active = columns.has('is_active') ? 'is_active = 1' : '1 = 1';
  const admin = columns.has('role') ? "AND role IN ('admin', 'super_admin')" : columns.has('is_admin') ? 'AND is_admin = 1' : '';
  const [rows] = await db.query<RowDataPacket[]>(`SELECT id FROM users WHERE ${active} ${admin} ORDER BY id LIMIT 1`);
  return rows[0] ? Number(rows[0]['id']) : null;
}

export async function probeSettingsApi(opts: {
  docker: DockerPort;
  backend: string;
  db: Db;
  redactor: Redactor;
  baseUrl?: string;
}): Promise<SettingsProbeResult> {
  const { db } = opts;
  const [settingRows] = await db.query<RowDataPacket[]>('SELECT setting_key, setting_value FROM system_settings');
  const expected = new Map(settingRows.map((r) => [String(r['setting_key']), r['setting_value'] === null ? null : String(r['setting_value'])]));
  const adminId = await pickAdmin(db);
  if (adminId === null) return fail('no-admin', 'no active admin user to ask the settings API as');

  // Not a reason to fail the check: a leftover session harms nobody for the minutes until it expires.
  await sweepProbeSessions(db).catch(() => 0);
  const token = randomBytes(32).toString('hex');
  opts.redactor.add(token);
  await db.query(
    `INSERT INTO user_sessions (user_id, session_token, is_active, expires_at, created_at, last_used, user_agent, device_name, device_type)
     VALUES (?, ?, 1, UTC_TIMESTAMP() + INTERVAL 5 MINUTE, UTC_TIMESTAMP(), UTC_TIMESTAMP(), ?, ?, 'admin')`,
    [adminId, token, probeUserAgent(), PROBE_DEVICE_NAME],
  );
  try {
    const url = `${opts.baseUrl ?? 'http://localhost:8001'}/api/settings`;
    const res = await httpGetInContainer(opts.docker, opts.backend, url, token);
    if (res.error) return fail('request-failed', `request failed: ${res.error}`);
    if (res.status !== 200) return fail(`http-${res.status}`, `GET /api/settings answered ${res.status}`);
    let body: unknown;
    try {
      body = JSON.parse(res.body);
    } catch {
      return fail('not-json', 'GET /api/settings did not answer JSON');
    }
    return judgeSettingsReply(body, expected);
  } finally {
    await db.query('DELETE FROM user_sessions WHERE session_token = ?', [token]).catch(() => undefined);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Whether the API's value is the stored text, read the way the app types it: booleans from true/1/yes/on, numbers
 * by value (`1.50` is 1.5). JSON values are not compared: key order and spacing in the stored text are the app's.
 */
function sameSetting(api: unknown, stored: string | null): boolean {
  if (stored === null || api === null || isObject(api) || Array.isArray(api)) return true;
  if (typeof api === 'boolean') return ['true', '1', 'yes', 'on'].includes(stored.trim().toLowerCase()) === api;
  if (typeof api === 'number') return Number(stored) === api;
  return String(api) === stored;
}

/**
 * Judge a 200 from GET /api/settings against the `system_settings` rows (key → stored text). The app's settings are
 * under `settings` (current releases) or the whole reply (older ones); keys the database lacks, such as the
 * bootstrap settings, are allowed.
 */
export function judgeSettingsReply(body: unknown, expected: ReadonlyMap<string, string | null>): SettingsProbeResult {
  if (!isObject(body)) return fail('not-an-object', 'GET /api/settings did not answer an object');
  if (body['success'] === false) return fail('success-false', 'GET /api/settings answered success: false');
  const got = isObject(body['settings']) ? body['settings'] : body;
  const missing = [...expected.keys()].filter((k) => !(k in got));
  if (missing.length === expected.size && expected.size > 0) {
    const answered = Object.keys(got).length ? `only ${Object.keys(got).length} other settings` : '{}';
    return fail('swallowed-db-error', `GET /api/settings answered 200 with ${answered} but none of the ${expected.size} rows of system_settings (the app swallowed a database error)`);
  }
  if (missing.length) return fail('settings-missing', `settings missing from the API: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`);
  const differ = [...expected].filter(([k, v]) => !sameSetting(got[k], v)).map(([k]) => k);
  if (differ.length) return fail('settings-differ', `settings differ from the database: ${differ.slice(0, 5).join(', ')}`);
  return { ok: true, failure: null, detail: `${expected.size} settings returned, matching system_settings` };
}

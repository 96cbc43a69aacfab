// Where notifications go and how they are sent, against a listener on loopback (the integration test,
// test/notify-history.test.ts, sends them from real upgrades).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../engine/history/run-record.js';
import { deliver } from './deliver.js';
import { checkFailedNotification, runNotification, updateNotification } from './message.js';
import { notifyTargets, parseTarget, redactUrl } from './targets.js';

const record: RunRecord = {
  format: 1, runId: '20261202-010000-abcd', command: 'upgrade', projectDir: '/srv/glowworm', startedAt: '', endedAt: '', outcome: 'needs-attention',
  fromVersion: '1.1.0', toVersion: '1.2.0', durationMs: 61_000, downtimeMs: 20_000, backupPath: '/srv/glowworm/.glowworm/backups/x.sql.gz',
  failedRevision: '2024110900', error: '(1064) syntax', state: 'Rollback incomplete: …', migrations: [], rehearsal: [],
};

describe('notify targets', () => {
  it('takes --notify, then GLOWWORM_NOTIFY, then .glowworm/config, once each', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-notify-'));
    mkdirSync(join(dir, '.glowworm'));
    writeFileSync(join(dir, '.glowworm', 'config'), 'notify:\n  - https://hooks.example/a\n  - ntfy://ntfy.sh/topic\n');
    const targets = await notifyTargets(['https://hooks.example/a'], dir, { GLOWWORM_NOTIFY: 'http://127.0.0.1:9/x, ntfy://me:pw@push.example/t?scheme=http' });
    expect(targets).toEqual([
      { kind: 'json', url: 'https://hooks.example/a' },
      { kind: 'json', url: 'http://127.0.0.1:9/x' },
      { kind: 'ntfy', url: 'http://me:pw@push.example/t' },
      { kind: 'ntfy', url: 'https://ntfy.sh/topic' },
    ]);
    rmSync(dir, { recursive: true, force: true });
  });
  it('refuses what it could never deliver to, naming it without its secret parts', () => {
    expect(() => parseTarget('smtp://me:pw@mail.example/x')).toThrow(/only http\(s\):\/\/ .* ntfy/);
    expect(() => parseTarget('not a url')).toThrow(expect.objectContaining({ kind: 'user' }));
    expect(redactUrl('https://hooks.slack.com/services/T000/B000/SECRET')).toBe('https://hooks.slack.com/…');
  });
});

describe('deliver', () => {
  let server: Server;
  let base: string;
  const got: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  let failFirst = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        if (failFirst > 0) {
          failFirst -= 1;
          res.writeHead(503).end();
          return;
        }
        got.push({ path: req.url!, headers: req.headers, body });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('retries a failing target and sends the JSON body once it answers', async () => {
    failFirst = 2;
    const n = runNotification(record, 'glowworm');
    expect(await deliver([{ kind: 'json', url: `http://${base}/hook` }], n, { pauseMs: 1 })).toEqual([]);
    const last = got.at(-1)!;
    expect(JSON.parse(last.body)).toMatchObject({ event: 'rollback-incomplete', failedRevision: '2024110900', backupPath: record.backupPath });
    expect(last.body).not.toContain(base); // the target is never in the body
  });

  it('sends ntfy a text body with its title and priority, credentials as Basic auth', async () => {
    await deliver([parseTarget(`ntfy://me:pw@${base}/alerts?scheme=http`)], runNotification(record, 'glowworm'), { pauseMs: 1 });
    const last = got.at(-1)!;
    expect(last.path).toBe('/alerts');
    expect(last.headers['title']).toBe('glowworm upgrade failed on glowworm: ROLLBACK INCOMPLETE');
    expect(last.headers['priority']).toBe('urgent');
    expect(last.headers['authorization']).toBe(`Basic ${Buffer.from('me:pw').toString('base64')}`);
    expect(last.body).toContain('revision 2024110900 failed: (1064) syntax');
  });

  it('gives up after the tries, warns without the path, and resolves', async () => {
    failFirst = 5;
    const warnings: string[] = [];
    const failed = await deliver([{ kind: 'json', url: `http://${base}/secret-path` }], runNotification(record, 'glowworm'), { pauseMs: 1, warn: (l) => warnings.push(l) });
    failFirst = 0;
    expect(failed).toHaveLength(1);
    expect(warnings).toEqual([expect.stringContaining(`to http://${base}/… could not be delivered after 3 tries (HTTP 503)`)]);
    expect(warnings[0]).not.toContain('secret-path');
  });
});

describe('check notifications', () => {
  const image = { image: 'r/backend:test', services: ['glowworm-backend'], tag: 'test', runningDigests: ['sha256:a'], registryDigest: 'sha256:b', tagMoved: true, newer: [], error: null };
  const report = { project: { name: 'glowworm', dir: '/srv/glowworm' }, images: [image], updateAvailable: true, upgradeTo: { toTag: null, reason: 'tag-moved' as const } };
  it('an update names each image whose tag moved or that has newer tags', () => {
    expect(updateNotification(report)).toMatchObject({ event: 'update-available', updates: [{ image: 'r/backend:test', tagMoved: true, newer: [] }], text: 'r/backend:test: the tag moved (a new image)' });
  });
  it('a registry that could not be asked is a failure that changed nothing', () => {
    const failed = checkFailedNotification({ ...report, updateAvailable: false, upgradeTo: null, images: [{ ...image, tagMoved: null, error: 'The registry at https://r could not be reached: ECONNREFUSED.' }] });
    expect(failed).toMatchObject({ event: 'failed', outcome: 'external', error: 'r/backend:test: The registry at https://r could not be reached: ECONNREFUSED.', state: expect.stringContaining('Nothing was changed') });
  });
});

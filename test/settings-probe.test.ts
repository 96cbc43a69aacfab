// The settings probe against a real backend and database: the check that catches "the settings API is gone after I
// pulled the new image". The backend stand-in, like the real app, swallows a failing settings query and still
// answers 200; the probe must say so, and must pass a healthy stack.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerodeDocker } from '../src/engine/docker/dockerode-docker.js';
import { withDb } from '../src/engine/db/connection.js';
import { Redactor } from '../src/engine/secrets.js';
import { probeSettingsApi } from '../src/engine/verify/settings-probe.js';
import { containerName, databaseAddress, dbQuery, stackDown, stackEnv, stackUp, tmpStackDir, type Stack } from './rig/index.js';

describe('the settings probe on a real stack', () => {
  const dir = tmpStackDir('settings-probe');
  let stack: Stack;

  beforeAll(async () => {
    stack = await stackUp({ version: '1.1.0', dir, prefix: `s${randomBytes(3).toString('hex')}-` });
  });
  afterAll(() => stackDown(dir, stack?.prefix));

  const probe = async () => {
    const env = stackEnv(stack);
    const creds = { user: 'glowworm', password: env['MYSQL_PASSWORD']!, database: 'glowworm', host: await databaseAddress(stack), port: 3306 };
    return withDb(creds, (db) => probeSettingsApi({ docker: new DockerodeDocker(), backend: containerName(stack, 'glowworm-backend'), db, redactor: new Redactor() }));
  };

  it('passes when the API returns the seeded settings, and leaves no session behind', async () => {
    const sessions = await dbQuery<{ n: number }[]>(stack, 'SELECT COUNT(*) AS n FROM user_sessions');
    const result = await probe();
    expect(result).toMatchObject({ ok: true, detail: expect.stringMatching(/^\d+ settings returned, matching system_settings$/) });
    expect(await dbQuery<{ n: number }[]>(stack, 'SELECT COUNT(*) AS n FROM user_sessions')).toEqual(sessions);
  });

  it('fails when the app swallows a database error and answers 200 without the settings', async () => {
    // The app's settings query fails (a column it reads is gone), as after a schema that does not match the code.
    await dbQuery(stack, 'ALTER TABLE system_settings CHANGE setting_type setting_kind VARCHAR(20) NULL');
    const result = await probe();
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/answered 200 with only \d+ other settings but none of the \d+ rows of system_settings/);
  });
});

import { describe, expect, it } from 'vitest';
import { isLeftoverProbe, judgeSettingsReply } from './settings-probe.js';

const stored = new Map<string, string | null>([
  ['log_level', 'INFO'],
  ['enable_debug_logging', 'True'],
  ['default_display_time_seconds', '30'],
  ['image_quality', '0.80'],
  ['target_display_sizes', '["1080x1920", "2k-portrait"]'],
  ['google_client_id', null],
]);
const typed = {
  log_level: 'INFO',
  enable_debug_logging: true,
  default_display_time_seconds: 30,
  image_quality: 0.8,
  target_display_sizes: ['1080x1920', '2k-portrait'],
  google_client_id: null,
};
const bootstrap = { mysql_host: 'localhost', mysql_port: 3306, app_db_user: 'glowworm', secret_key: '' };

describe('judgeSettingsReply', () => {
  it("accepts today's wrapped reply with the bootstrap settings beside the database's, values read as the app types them", () => {
    expect(judgeSettingsReply({ success: true, settings: { ...bootstrap, ...typed } }, stored)).toEqual({ ok: true, failure: null, detail: '6 settings returned, matching system_settings' });
  });

  it('accepts the flat reply of older releases', () => {
    expect(judgeSettingsReply(typed, stored).ok).toBe(true);
  });

  it('fails the swallowed database error: a 200 with {} or with only the bootstrap settings', () => {
    expect(judgeSettingsReply({}, stored)).toEqual({ ok: false, failure: 'swallowed-db-error', detail: expect.stringContaining('answered 200 with {} but none of the 6 rows') });
    expect(judgeSettingsReply({ success: true, settings: bootstrap }, stored)).toEqual({
      ok: false,
      failure: 'swallowed-db-error',
      detail: expect.stringContaining('answered 200 with only 4 other settings but none of the 6 rows'),
    });
  });

  it('names settings that are missing or differ, and refuses success: false and non-objects', () => {
    const { log_level: _dropped, ...withoutLevel } = typed;
    expect(judgeSettingsReply({ success: true, settings: withoutLevel }, stored).detail).toBe('settings missing from the API: log_level');
    expect(judgeSettingsReply({ success: true, settings: { ...typed, enable_debug_logging: false, image_quality: 0.9 } }, stored).detail)
      .toBe('settings differ from the database: enable_debug_logging, image_quality');
    // Each kind of wrong answer has its own signature, to tell "fails the same way as before the upgrade" apart.
    expect(judgeSettingsReply({ success: true, settings: withoutLevel }, stored).failure).toBe('settings-missing');
    expect(judgeSettingsReply({ success: false, settings: typed }, stored)).toMatchObject({ ok: false, failure: 'success-false' });
    expect(judgeSettingsReply([typed], stored)).toMatchObject({ ok: false, failure: 'not-an-object' });
  });
});

describe('isLeftoverProbe', () => {
  const host = 'server-1';
  const alive = (pid: number) => pid === 4242;
  const row = (userAgent: string | null, expired = false) => ({ userAgent, expired });

  it('removes an expired probe session, whoever made it', () => {
    expect(isLeftoverProbe(row(null, true), { host, alive })).toBe(true);
    expect(isLeftoverProbe(row('glowworm-probe server-1/4242', true), { host, alive })).toBe(true);
  });

  it('removes one whose maker on this host is gone, keeps one of a live glowworm or of this process', () => {
    expect(isLeftoverProbe(row('glowworm-probe server-1/999'), { host, alive })).toBe(true);
    expect(isLeftoverProbe(row('glowworm-probe server-1/4242'), { host, alive })).toBe(false);
    expect(isLeftoverProbe(row(`glowworm-probe server-1/${process.pid}`), { host, alive: () => false })).toBe(false);
  });

  it('never judges a maker on another host, or a row whose agent does not name one', () => {
    expect(isLeftoverProbe(row('glowworm-probe server-2/999'), { host, alive })).toBe(false);
    expect(isLeftoverProbe(row('Mozilla/5.0 (X11; Linux x86_64)'), { host, alive })).toBe(false);
    expect(isLeftoverProbe(row(null), { host, alive })).toBe(false);
  });
});

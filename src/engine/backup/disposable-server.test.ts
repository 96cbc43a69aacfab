import { describe, expect, it } from 'vitest';
import { defaultMemoryCap, disposableCommand, disposableServerFlags } from './disposable-server.js';

const MIB = 1 << 20;

describe('the throwaway server for a disposable copy', () => {
  it('caps memory at 1 GiB or a quarter of the host, never below 256 MiB', () => {
    expect(defaultMemoryCap(24 * 1024 * MIB)).toBe(1024 * MIB);
    expect(defaultMemoryCap(2 * 1024 * MIB)).toBe(512 * MIB);
    expect(defaultMemoryCap(512 * MIB)).toBe(256 * MIB);
  });

  it('gives half the cap to the buffer pool and turns off what only protects against a crash', () => {
    expect(disposableServerFlags(1024 * MIB)).toEqual(expect.arrayContaining([
      '--innodb-doublewrite=OFF', '--innodb-flush-log-at-trx-commit=0', '--innodb-buffer-pool-size=512M', '--skip-log-bin',
    ]));
  });

  it('appends to production\'s server options, and leaves a command that is not the server alone', () => {
    const prod = ['--default-authentication-plugin=mysql_native_password', '--skip-log-bin'];
    expect(disposableCommand(prod, 1024 * MIB)).toMatchObject({ tuned: true, cmd: [...prod, ...disposableServerFlags(1024 * MIB)] });
    expect(disposableCommand(null, 1024 * MIB).cmd[0]).toBe('--innodb-doublewrite=OFF');
    expect(disposableCommand(['mysqld', '--x'], 1024 * MIB).cmd.slice(0, 2)).toEqual(['mysqld', '--x']);
    expect(disposableCommand(['bash', '/start.sh'], 1024 * MIB)).toEqual({ cmd: ['bash', '/start.sh'], tuned: false });
  });
});

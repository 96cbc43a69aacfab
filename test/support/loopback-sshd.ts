// An sshd of the test's own on 127.0.0.1 and a free port: its host key, a client key and known_hosts in a throwaway
// HOME, root allowed by that key only. Debian's openssh-server (the rig installs it). Stopped by stop().
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LoopbackSshd {
  port: number;
  /** A HOME whose ~/.ssh has the client key and the server's key in known_hosts. */
  home: string;
  /** What sshd logged (LogLevel DEBUG1: sessions, direct-tcpip forwards). */
  log(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** `extraConfig`: more sshd_config lines (e.g. `SetEnv PATH=…` to hide the docker CLI from sessions). */
export async function startLoopbackSshd(extraConfig: string[] = []): Promise<LoopbackSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'glowworm-sshd-'));
  const home = join(dir, 'home');
  const ssh = join(home, '.ssh');
  mkdirSync(ssh, { recursive: true, mode: 0o700 });
  const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
  keygen(join(dir, 'host_key'));
  keygen(join(ssh, 'id_ed25519'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(ssh, 'id_ed25519.pub')), { mode: 0o600 });
  const port = await freePort();
  const [type, key] = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim().split(/\s+/);
  writeFileSync(join(ssh, 'known_hosts'), `[127.0.0.1]:${port} ${type} ${key}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'sshd_config'), [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${join(dir, 'host_key')}`, `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'PermitRootLogin prohibit-password', 'PasswordAuthentication no',
    'KbdInteractiveAuthentication no', 'UsePAM no', 'StrictModes no', 'AllowTcpForwarding yes', 'LogLevel DEBUG1',
    'MaxSessions 64', 'MaxStartups 64', ...extraConfig,
  ].join('\n') + '\n');
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege-separation directory
  let log = '';
  const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk));
  await new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const poll = () => {
      if (log.includes(`Server listening on 127.0.0.1 port ${port}`)) return resolve();
      if (child.exitCode !== null || Date.now() > deadline) return reject(new Error(`sshd did not start:\n${log}`));
      setTimeout(poll, 50);
    };
    poll();
  });
  return {
    port,
    home,
    log: () => log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

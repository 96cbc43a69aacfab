// An engine reached over ssh, as the docker CLI reaches `ssh://user@host`: one ssh connection, and on it
// `docker system dial-stdio` for each HTTP connection to the remote engine (what the CLI's connhelper runs; the remote
// needs the docker CLI). The same connection forwards TCP from the remote host (`forwardOut`), so the database in a
// container is reached at its bridge IP from the remote side — never from here, where that IP does not route.
//
// Authentication as ssh does by default: the agent at SSH_AUTH_SOCK, else the first of ~/.ssh/id_ed25519, id_ecdsa,
// id_rsa. The server's key must be in ~/.ssh/known_hosts (plain or hashed `|1|` entries, `[host]:port` for a port
// other than 22): glowworm never trusts a key it has not seen, as ssh with StrictHostKeyChecking would not.
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Agent, type AgentOptions } from 'node:http';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import { externalError, userError } from '../errors.js';

const KEY_FILES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export interface SshTarget {
  host: string;
  port: number;
  user: string | null;
}

/** Whether known_hosts text vouches for `key` (base64) as the key of host:port. */
export function knownHostAccepts(knownHosts: string, host: string, port: number, keyBase64: string): 'match' | 'mismatch' | 'unknown' {
  const names = port === 22 ? [host, `[${host}]:22`] : [`[${host}]:${port}`];
  let seen = false;
  for (const line of knownHosts.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 3 || fields[0]!.startsWith('#') || fields[0]!.startsWith('@')) continue;
    const [patterns, , key] = fields as [string, string, string];
    if (!patterns.split(',').some((p) => matchesName(p, names))) continue;
    seen = true;
    if (key === keyBase64) return 'match';
  }
  return seen ? 'mismatch' : 'unknown';
}

// A plain host name, or `|1|salt|hash` with hash = HMAC-SHA1(salt, name) (ssh's HashKnownHosts).
function matchesName(pattern: string, names: string[]): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return names.some((n) => createHmac('sha1', Buffer.from(salt, 'base64')).update(n).digest('base64') === hash);
  }
  return names.includes(pattern);
}

// An ssh channel stands in for a socket in node's http Agent and in mysql2; they call these on a socket.
function socketLike(channel: Duplex): Duplex {
  const s = channel as unknown as Record<string, unknown>;
  for (const method of ['setKeepAlive', 'setNoDelay', 'setTimeout', 'ref', 'unref']) if (typeof s[method] !== 'function') s[method] = () => channel;
  return channel;
}

export class SshEngine {
  private client: ssh2.Client | null = null;
  private ready: Promise<ssh2.Client> | null = null;

  constructor(private readonly target: SshTarget, private readonly home: string = homedir(), private readonly env: Record<string, string | undefined> = process.env) {}

  private describe(): string {
    return `ssh://${this.target.user ? `${this.target.user}@` : ''}${this.target.host}:${this.target.port}`;
  }

  private connect(): Promise<ssh2.Client> {
    if (this.ready) return this.ready;
    const sshDir = join(this.home, '.ssh');
    const keyFile = KEY_FILES.map((f) => join(sshDir, f)).find((f) => existsSync(f));
    const agent = this.env['SSH_AUTH_SOCK'];
    if (!keyFile && !agent) {
      throw userError('engine.ssh-no-key', `No ssh key to reach ${this.describe()}: no agent (SSH_AUTH_SOCK) and none of ${KEY_FILES.map((f) => `~/.ssh/${f}`).join(', ')}.`,
        'Make a key with ssh-keygen and add it to the server\'s authorized_keys, or start ssh-agent.');
    }
    const knownHostsPath = join(sshDir, 'known_hosts');
    const knownHosts = existsSync(knownHostsPath) ? readFileSync(knownHostsPath, 'utf8') : '';
    let hostKeyVerdict: 'match' | 'mismatch' | 'unknown' = 'unknown';
    const client = new ssh2.Client();
    this.ready = new Promise((resolve, reject) => {
      client.once('ready', () => this.checkDockerCli(client).then(() => resolve(client), (error: Error) => {
        this.ready = null;
        client.end();
        reject(error);
      }));
      client.once('error', (error) => {
        this.ready = null;
        if (hostKeyVerdict !== 'match') {
          reject(userError('engine.ssh-host-unknown',
            hostKeyVerdict === 'mismatch'
              ? `The ssh host key of ${this.describe()} differs from the one in ${knownHostsPath}: refusing to connect.`
              : `The ssh host key of ${this.describe()} is not in ${knownHostsPath}.`,
            `Connect once with \`ssh -p ${this.target.port} ${this.target.user ? `${this.target.user}@` : ''}${this.target.host}\` to check and record it.`));
        } else {
          reject(externalError('engine.ssh-failed', `Cannot reach the engine at ${this.describe()}: ${error.message}`,
            'Check that the key is in the server\'s authorized_keys and that sshd answers.', error));
        }
      });
      client.connect({
        host: this.target.host,
        port: this.target.port,
        username: this.target.user ?? userInfo().username,
        ...(agent ? { agent } : {}),
        ...(keyFile ? { privateKey: readFileSync(keyFile) } : {}),
        readyTimeout: 20_000,
        keepaliveInterval: 15_000,
        hostVerifier: (key: Buffer) => {
          hostKeyVerdict = knownHostAccepts(knownHosts, this.target.host, this.target.port, key.toString('base64'));
          return hostKeyVerdict === 'match';
        },
      });
    });
    this.client = client;
    return this.ready;
  }

  // dial-stdio that cannot run (no docker CLI on the far side) only closes its stream, which an HTTP request reports
  // as a bare "socket hang up": ask once, on a fresh connection, whether the CLI is there, and say so.
  private checkDockerCli(client: ssh2.Client): Promise<void> {
    return new Promise((resolve, reject) => {
      client.exec('command -v docker', (err, stream) => {
        if (err) return reject(externalError('engine.ssh-channel', `Over ${this.describe()}, cannot run a command: ${err.message}`, undefined, err));
        stream.resume();
        stream.stderr.resume();
        stream.once('exit', (code: number | null) => {
          if (code === 0) return resolve();
          reject(externalError('engine.ssh-no-docker-cli', `On ${this.describe()} there is no docker CLI (\`command -v docker\` exited with ${code}): glowworm reaches the engine there through \`docker system dial-stdio\`.`,
            'Install the docker CLI on that host (`docker -H ssh://…` needs it too), or point DOCKER_HOST at the engine another way.'));
        });
      });
    });
  }

  private async channel(open: (client: ssh2.Client, cb: (err: Error | undefined, stream: ssh2.ClientChannel) => void) => void, what: string): Promise<Duplex> {
    const client = await this.connect();
    return new Promise((resolve, reject) => {
      open(client, (err, stream) => (err ? reject(externalError('engine.ssh-channel', `Over ${this.describe()}, cannot ${what}: ${err.message}`, undefined, err)) : resolve(socketLike(stream))));
    });
  }

  /** An http Agent whose every connection is `docker system dial-stdio` on the remote host. */
  httpAgent(): Agent {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 } as AgentOptions);
    (agent as unknown as { createConnection: unknown }).createConnection = (_options: unknown, done: (err: Error | null, socket?: Duplex) => void) => {
      this.channel((c, cb) => c.exec('docker system dial-stdio', cb), 'run `docker system dial-stdio`')
        .then((stream) => done(null, stream), (error: Error) => done(error));
      return undefined;
    };
    return agent;
  }

  /** A TCP connection to host:port made from the remote host (a container's bridge IP there). */
  forward(host: string, port: number): Promise<Duplex> {
    return this.channel((c, cb) => c.forwardOut('127.0.0.1', 0, host, port, cb), `reach ${host}:${port} from the remote host`);
  }

  close(): void {
    this.client?.end();
    this.client = null;
    this.ready = null;
  }
}

import { existsSync } from 'node:fs';
import { RigError, run, runChecked } from './process.js';
import { say } from './log.js';

export interface HostFacts {
  isRoot: boolean;
  isDebian: boolean;
}

export function readHostFacts(): HostFacts {
  return { isRoot: process.getuid?.() === 0, isDebian: existsSync('/etc/debian_version') };
}

/** Why packages cannot be installed here, or undefined when apt-get as root can do it. */
export function cannotInstallReason(facts: HostFacts, packages: readonly string[]): string | undefined {
  const list = packages.join(' ');
  if (!facts.isDebian) {
    return `missing: ${list}. This is not a Debian machine, so the rig cannot apt-get them; install the equivalents yourself (Docker engine 20.10+, a Docker registry on 127.0.0.1:5000 without auth, debootstrap, docker-compose 1.29) and run setup again.`;
  }
  if (!facts.isRoot) {
    return `missing: ${list}. Installing them needs root: run \`sudo apt-get install -y ${list}\` (or run the rig as root) and run setup again.`;
  }
  return undefined;
}

export async function missingPackages(packages: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const name of packages) {
    const status = await run('dpkg-query', ['-W', '-f=${Status}', name]);
    if (status.code !== 0 || !status.stdout.includes('install ok installed')) missing.push(name);
  }
  return missing;
}

/** Installs the Debian packages that are not installed yet; a no-op (one dpkg-query each) when all are there. */
export async function ensureDebianPackages(packages: readonly string[]): Promise<void> {
  const missing = await missingPackages(packages);
  if (missing.length === 0) return;
  const reason = cannotInstallReason(readHostFacts(), missing);
  if (reason) throw new RigError(reason);
  say(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runChecked('apt-get', ['update'], { env });
  await runChecked('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, echo: true });
}

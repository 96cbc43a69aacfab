import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { BASE_IMAGE_REPO, RECIPE_LABEL, RIG_CACHE_DIR } from './paths.js';
import { recipeHash } from './recipe-hash.js';
import { ensureDebianPackages } from './host-packages.js';
import { RigError, docker, dockerChecked, runChecked } from './process.js';
import { say, timed } from './log.js';

const SUITE = 'bookworm';

// The heavy packages live here, once; fixture images only copy files on top (fast, incremental builds).
const BASE_PACKAGES = [
  'mariadb-server',
  'mariadb-client',
  'python3',
  'python3-alembic',
  'alembic', // /usr/bin/alembic (python3-alembic is only the module)
  'python3-pymysql',
  'python3-sqlalchemy',
  'curl',
  'ca-certificates',
  'redis-server',
  'procps',
];

// Runs inside the rootfs (chroot) after debootstrap.
const FINISH_SCRIPT = `set -e
# Docker copies an image's files into a new named volume: an image with a datadir would pre-fill mysql_data and the
# entrypoint would skip its first-start initialisation. The datadir must be empty, as in the official image.
rm -rf /var/lib/mysql/* /var/lib/redis/*
mkdir -p /run/mysqld /var/lib/mysql
chown mysql:mysql /run/mysqld /var/lib/mysql
# The official mysql image has the mysql* names; newer MariaDB packages only ship mariadb*.
command -v mysql >/dev/null || ln -s /usr/bin/mariadb /usr/local/bin/mysql
command -v mysqldump >/dev/null || ln -s /usr/bin/mariadb-dump /usr/local/bin/mysqldump
command -v mysqladmin >/dev/null || ln -s /usr/bin/mariadb-admin /usr/local/bin/mysqladmin
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /usr/share/doc/* /usr/share/man/* /usr/share/info/* /var/log/*.log
`;

const IMPORT_CHANGES = [
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'ENV LANG=C.UTF-8',
  'CMD ["/bin/bash"]',
];

export const BASE_RECIPE_HASH = recipeHash({ SUITE, BASE_PACKAGES, FINISH_SCRIPT, IMPORT_CHANGES });
export const BASE_IMAGE_TAG = `${BASE_IMAGE_REPO}:${BASE_RECIPE_HASH}`;
const ROOTFS_TARBALL = `${RIG_CACHE_DIR}/base-${BASE_RECIPE_HASH}.tar`;

/** The Debian mirror this host's apt uses (so debootstrap fetches from the same place), if it can be read. */
function hostDebianMirror(): string | undefined {
  for (const file of ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const deb822 = /^URIs:\s*(\S+)\s*$\s*^Suites:.*\bbookworm\b(?!-security)/m.exec(text);
    if (deb822?.[1]) return deb822[1];
    const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(text);
    if (oneLine?.[1]) return oneLine[1];
  }
  return undefined;
}

/** Unmounts anything debootstrap left mounted inside dir, so removing dir can never reach the host's /proc or /dev. */
async function unmountUnder(dir: string): Promise<void> {
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((point) => point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) await runChecked('umount', ['-l', point]);
}

async function removeRootfs(dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  await unmountUnder(dir);
  await runChecked('rm', ['-rf', '--one-file-system', dir]);
}

async function debootstrapTarball(): Promise<void> {
  await ensureDebianPackages(['debootstrap']);
  mkdirSync(RIG_CACHE_DIR, { recursive: true });
  const rootfs = `${RIG_CACHE_DIR}/rootfs-${BASE_RECIPE_HASH}.tmp`;
  await removeRootfs(rootfs);
  const mirror = hostDebianMirror();
  const args = ['--variant=minbase', `--include=${BASE_PACKAGES.join(',')}`, SUITE, rootfs, ...(mirror ? [mirror] : [])];
  try {
    await timed('debootstrap', () => runChecked('debootstrap', args, { echo: process.env.GLOWWORM_RIG_VERBOSE === '1' }));
    await runChecked('chroot', [rootfs, '/bin/sh', '-c', FINISH_SCRIPT]);
    await unmountUnder(rootfs);
    const partial = `${ROOTFS_TARBALL}.partial`;
    await timed('tar rootfs', () => runChecked('tar', ['--numeric-owner', '-C', rootfs, '-cf', partial, '.']));
    renameSync(partial, ROOTFS_TARBALL);
    // Tarballs of older recipes are never used again (the hash names the recipe); a rootfs is ~400 MB.
    for (const name of readdirSync(RIG_CACHE_DIR)) {
      if (/^base-[0-9a-f]+\.tar$/.test(name) && `${RIG_CACHE_DIR}/${name}` !== ROOTFS_TARBALL) {
        rmSync(`${RIG_CACHE_DIR}/${name}`);
      }
    }
  } finally {
    await removeRootfs(rootfs);
  }
}

async function imageExists(ref: string): Promise<boolean> {
  return (await docker(['image', 'inspect', ref])).code === 0;
}

/** Ensures glowworm-rig/base:<recipe-hash> exists: reuse it, else import the cached rootfs, else debootstrap one. */
export async function ensureBaseImage(): Promise<string> {
  if (await imageExists(BASE_IMAGE_TAG)) return `${BASE_IMAGE_TAG} reused`;
  if (!existsSync(ROOTFS_TARBALL)) {
    say(`no cached rootfs for recipe ${BASE_RECIPE_HASH}: debootstrapping ${SUITE} (about a minute)`);
    await debootstrapTarball();
  }
  const changes = [...IMPORT_CHANGES, `LABEL ${RECIPE_LABEL}=${BASE_RECIPE_HASH}`].flatMap((c) => ['--change', c]);
  await timed('docker import', () => dockerChecked(['import', ...changes, ROOTFS_TARBALL, BASE_IMAGE_TAG]));
  if (!(await imageExists(BASE_IMAGE_TAG))) throw new RigError(`docker import did not produce ${BASE_IMAGE_TAG}`);
  return `${BASE_IMAGE_TAG} imported from ${ROOTFS_TARBALL}`;
}

// `npm run -s image [-- --base IMAGE] [--host-node] [--tag TAG]`: build glowworm's own image from the Dockerfile and
// print its tag on the last line of stdout (everything else goes to stderr, so `TAG=$(npm run -s image | tail -1)`).
//
// It stages .image/ first, on this machine: the package as `npm pack` makes it (prepare builds dist/), installed
// globally with its production dependencies into .image/prefix/ — the same install a user's `npm install -g` does —
// so the image build needs neither npm nor a network. --host-node also puts this machine's node binary in
// .image/host-node/, for a base without Node.js 20 (the test rig's Debian base, built offline).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const stage = join(root, '.image');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const usage = 'Usage: npm run -s image [-- --base IMAGE] [--host-node] [--tag TAG]';
let values;
try {
  ({ values } = parseArgs({
    options: { base: { type: 'string' }, 'host-node': { type: 'boolean' }, tag: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  }));
} catch (error) {
  fail(`${error.message}\n${usage}`);
}
if (values.help) {
  process.stdout.write(`${usage}\n  --base IMAGE   the FROM image (default: the Dockerfile's, an official Node.js 20 image)\n  --host-node    copy this machine's node into the image (for a base without Node.js 20)\n  --tag TAG      default: ${pkg.name}:${pkg.version}\n`);
  process.exit(0);
}
const tag = values.tag ?? `${pkg.name}:${pkg.version}`;

function fail(message) {
  process.stderr.write(`npm run image: ${message}\n`);
  process.exit(1);
}

/** Run a command with its output on our stderr; its stdout is returned when `capture`. */
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? root, stdio: ['ignore', opts.capture ? 'pipe' : process.stderr, process.stderr], encoding: 'utf8' });
  if (r.error) fail(`${cmd} could not start (${r.error.message}).${cmd === 'docker' ? ' The image build needs the docker CLI and a running engine.' : ''}`);
  if (r.status !== 0) fail(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.status}).`);
  return r.stdout ?? '';
}

rmSync(stage, { recursive: true, force: true });
mkdirSync(join(stage, 'host-node'), { recursive: true });

const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', stage], { capture: true }));
const tarball = join(stage, packed[0].filename);
run('npm', ['install', '--global', '--prefix', join(stage, 'prefix'), '--omit=dev', '--no-audit', '--no-fund', tarball]);

if (values['host-node']) {
  if (Number(process.versions.node.split('.')[0]) < 20) fail(`--host-node copies this machine's node, which is ${process.version}; glowworm needs >= 20.`);
  copyFileSync(process.execPath, join(stage, 'host-node', 'node'));
}

run('docker', ['build', '--file', 'Dockerfile', '--tag', tag, ...(values.base ? ['--build-arg', `BASE=${values.base}`] : []), '.']);
process.stdout.write(`${tag}\n`);

// `npm run demo`: the main job on the built-in demo stack. Sets up the rig (engine, registry, images), brings up a
// fresh GlowWorm 1.0.0 stack in /tmp/glowworm-demo, and runs `glowworm upgrade --to 1.1.0` against it: the TUI when
// you are at a terminal (you confirm the plan with y), plain text with --yes otherwise (CI).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { rigSetup } from './setup.js';
import { stackUp } from './stack-up.js';
import { stackDown } from './stack-down.js';

const DIR = process.env['GLOWWORM_DEMO_DIR'] ?? '/tmp/glowworm-demo';
const PREFIX = 'demo-';
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'glowworm');
const say = (s: string) => process.stderr.write(`\n== ${s}\n`);

say('Setting up the rig (Docker engine, registry, fixture images) — idempotent');
await rigSetup();
if (existsSync(join(DIR, 'docker-compose.yml'))) {
  say(`Removing the previous demo stack in ${DIR}`);
  await stackDown(DIR, PREFIX);
}
say(`Starting a GlowWorm 1.0.0 stack in ${DIR} (containers ${PREFIX}glowworm-*)`);
const stack = await stackUp({ version: '1.0.0', dir: DIR, prefix: PREFIX });

const interactive = !!process.stdout.isTTY && !!process.stdin.isTTY;
const args = ['upgrade', '--project-dir', DIR, '--to', '1.1.0', ...(interactive ? [] : ['--yes', '--plain'])];
say(`glowworm ${args.join(' ')}`);
const code: number = await new Promise((resolve) => {
  spawn(process.execPath, [BIN, ...args], { stdio: 'inherit' }).on('exit', (c) => resolve(c ?? 1));
});

say(`glowworm exited with ${code}. The demo stack stays up; try:`);
process.stderr.write(
  [
    `  ./bin/glowworm status --project-dir ${DIR}`,
    `  ./bin/glowworm doctor --project-dir ${DIR}`,
    `  ./bin/glowworm upgrade --project-dir ${DIR} --to 1.2.0-broken --rehearse   # a release whose migration fails`,
    `  ./bin/glowworm upgrade --project-dir ${DIR} --to 2.0.0                      # the release that fixes 1.2.0-broken's migration`,
    `  npm run rig -- down --dir ${DIR}                                            # remove it`,
    `  (the app: http://127.0.0.1:${stack.frontendPort}/)`,
  ].join('\n') + '\n',
);
process.exit(code);

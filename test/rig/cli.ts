// `npm run rig -- <verb>`: setup | up | down | status. Progress on stderr; `up` prints its JSON summary last on stdout.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { rigSetup } from './setup.js';
import { stackSummary, stackUp } from './stack-up.js';
import { stackDown } from './stack-down.js';
import { KNOWN_RELEASES } from './stack-plan.js';
import { formatContainers, projectContainers } from './stack-status.js';
import { composeProjectName } from './stack.js';
import { RigError } from './process.js';
import { seconds } from './log.js';

const USAGE = `usage: npm run rig -- <verb>
  setup                                   engine, registry, base image, fixture images (idempotent)
  up (--release R | --version V) --dir DIR [--namespace N] [--prefix P] [--port N] [--seed-rows N] [--seed-mb M]
                                          write DIR/docker-compose.yml + .env, start, wait healthy + migrated, seed
                                          R: ${KNOWN_RELEASES.join(', ')}
  down --dir DIR [--prefix P]             remove the stack's containers, volumes, networks and DIR
  status --dir DIR                        containers and health`;

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new RigError(`${flag} needs a whole number, got '${value}'`);
  return Number(value);
}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new RigError(`${flag} is required\n${USAGE}`);
  return value;
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      version: { type: 'string' },
      release: { type: 'string' },
      namespace: { type: 'string' },
      dir: { type: 'string' },
      prefix: { type: 'string' },
      port: { type: 'string' },
      'seed-rows': { type: 'string' },
      'seed-mb': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const verb = positionals[0];
  if (values.help || !verb) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  switch (verb) {
    case 'setup': {
      const report = await rigSetup();
      process.stdout.write(`rig setup: ready in ${seconds(report.totalMs)}\n`);
      return;
    }
    case 'up': {
      const stack = await stackUp({
        release: required(values.release ?? values.version, '--release (or --version)'),
        dir: required(values.dir, '--dir'),
        namespace: values.namespace,
        prefix: values.prefix,
        port: integer(values.port, '--port'),
        seedRows: integer(values['seed-rows'], '--seed-rows'),
        seedMb: integer(values['seed-mb'], '--seed-mb'),
      });
      process.stdout.write(`${JSON.stringify(stackSummary(stack))}\n`);
      return;
    }
    case 'down': {
      const removed = await stackDown(required(values.dir, '--dir'), values.prefix);
      process.stdout.write(removed.length ? `removed:\n  ${removed.join('\n  ')}\n` : 'nothing to remove\n');
      return;
    }
    case 'status': {
      const project = composeProjectName(resolve(required(values.dir, '--dir')));
      process.stdout.write(`project ${project}\n${formatContainers(await projectContainers(project))}\n`);
      return;
    }
    default:
      throw new RigError(`unknown verb '${verb}'\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`rig: ${message}\n`);
  if (!(error instanceof RigError) && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});

// `glowworm deploy-migrations pending|preview|down`: the deployment migrations by hand (the upgrade runs them for
// you). `down` puts the compose file and .env back as they were before the migrations (byte for byte when nothing
// changed them since).
import { resolve } from 'node:path';
import { loadProject } from '../../engine/compose/index.js';
import { DeployMigrationRunner } from '../../engine/deploy-migrations/runner.js';
import { userError } from '../../engine/errors.js';
import { commonArgs, parseCommand } from '../args.js';

const HELP = `Usage: glowworm deploy-migrations pending --to VERSION | preview --to VERSION | down [--to VERSION]
                     [--project-dir DIR] [-f FILE] [--json]

  pending   the deployment migrations a release up to VERSION needs that are not applied yet
  preview   their unified diff (nothing is written; generated secrets show as ***)
  down      revert applied migrations (those after VERSION, or all)`;

export async function deployMigrationsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('deploy-migrations', argv, { to: { type: 'string' } }, true);
  const common = commonArgs(values, { stdoutIsTTY: !!process.stdout.isTTY, stdinIsTTY: !!process.stdin.isTTY });
  const verb = positionals[0];
  if (common.help || !verb) {
    process.stdout.write(HELP + '\n');
    return common.help ? 0 : 2;
  }
  const project = await loadProject({ projectDir: common.projectDir, files: common.files.length ? common.files.map((f) => resolve(f)) : undefined });
  const runner = new DeployMigrationRunner({ composeFile: project.composeFiles[0]!, ...(project.envFile ? { envFile: project.envFile } : {}) });
  const out = (value: unknown, text: string) => process.stdout.write((common.mode === 'json' ? JSON.stringify(value) : text) + '\n');
  switch (verb) {
    case 'pending': {
      if (!values.to) throw userError('usage.to', 'pending needs --to VERSION.');
      const list = await runner.pending(values.to);
      out(list, list.length ? list.map((m) => `${m.name} (${m.version}): ${m.description}`).join('\n') : 'none');
      return 0;
    }
    case 'preview': {
      if (!values.to) throw userError('usage.to', 'preview needs --to VERSION.');
      const steps = await runner.preview(values.to);
      out(steps, steps.length ? steps.map((s) => `# ${s.name}: ${s.description}\n${s.diff}`).join('\n') : 'none');
      return 0;
    }
    case 'down': {
      const result = await runner.down(values.to);
      out(result, result.message);
      return 0;
    }
    default:
      throw userError('usage.verb', `Unknown deploy-migrations action "${verb}".`, HELP);
  }
}

// `glowworm deploy-migrations pending|preview|down`: the deployment migrations by hand (the upgrade runs them for
// you). `down` puts the compose file and .env back as they were before the migrations (byte for byte when nothing
// changed them since).
import { loadProject } from '../../engine/compose/index.js';
import { DeployMigrationRunner } from '../../engine/deploy-migrations/runner.js';
import { userError } from '../../engine/errors.js';
import { previewDeployMigrations } from '../../engine/commands/deploy-migrations-preview.js';
import { commonArgs, parseCommand } from '../args.js';
import { resolveProject } from '../project-args.js';

const HELP = `Usage: glowworm deploy-migrations pending [--image REF] | preview [--image REF] | down
                     [project options] [--json]

  pending   the deployment migrations this deployment needs to run the backend image REF (default: the one the
            compose file names; it must be on this engine), decided from your files, the running containers and
            what the image holds — not from its tag
  preview   their unified diff (nothing is written; generated secrets show as ***)
  down      put the compose file and .env back as they were before the applied migrations`;

export async function deployMigrationsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('deploy-migrations', argv, { image: { type: 'string' } }, true);
  const common = commonArgs(values, { stdoutIsTTY: !!process.stdout.isTTY, stdinIsTTY: !!process.stdin.isTTY });
  const verb = positionals[0];
  if (common.help || !verb) {
    process.stdout.write(HELP + '\n');
    return common.help ? 0 : 2;
  }
  const out = (value: unknown, text: string) => process.stdout.write((common.mode === 'json' ? JSON.stringify(value) : text) + '\n');
  const project = { ...(await resolveProject(common.project)), ...(values.image ? { image: values.image } : {}) };
  switch (verb) {
    case 'pending': {
      const list = (await previewDeployMigrations(project)).map(({ name, description }) => ({ name, description }));
      out(list, list.length ? list.map((m) => `${m.name}: ${m.description}`).join('\n') : 'none');
      return 0;
    }
    case 'preview': {
      const steps = await previewDeployMigrations(project);
      out(steps, steps.length ? steps.map((s) => `# ${s.name}: ${s.description}\n${s.notes.map((n) => `# ${n}\n`).join('')}${s.diff}`).join('\n') : 'none');
      return 0;
    }
    case 'down': {
      const loaded = await loadProject(project);
      const runner = new DeployMigrationRunner({ composeFile: loaded.composeFiles[0]!, ...(loaded.envFile ? { envFile: loaded.envFile } : {}) });
      const result = await runner.down();
      out(result, result.message);
      return 0;
    }
    default:
      throw userError('usage.verb', `Unknown deploy-migrations action "${verb}".`, HELP);
  }
}

// `glowworm doctor`: the menu in a terminal, or one report/action by name without one (the non-interactive twin):
// status, alembic-current, alembic-history, verify-schema, migrate, logs, backups. Reports print one document
// (`--json`: one JSON document); runs print events (`--json`: NDJSON); logs print lines (`--json`: NDJSON lines).
import type { LogFilter, ProjectOptions } from '../../engine/api.js';
import { engine } from '../../engine/engine.js';
import { userError } from '../../engine/errors.js';
import { backupRows, commandRows, schemaRows, statusRows } from '../../ui/state/report-rows.js';
import { rowsText } from '../../ui/state/rows.js';
import { clockTime } from '../../ui/state/format.js';
import { commonArgs, parseCommand, PROJECT_OPTIONS_HELP, type Mode } from '../args.js';
import { resolveProject } from '../project-args.js';
import { drive, interruptSignal } from '../drive.js';
import { hangup } from '../hangup.js';
import { ExitCode } from '../exit-codes.js';
import { headlessRunIO } from '../run-io.js';
import { Output } from '../../headless/output.js';
import { statusExitCode } from './status-command.js';
import { historyText } from './history-command.js';

export const DOCTOR_SUBCOMMANDS = ['status', 'alembic-current', 'alembic-history', 'verify-schema', 'migrate', 'logs', 'backups', 'history'] as const;
type Subcommand = (typeof DOCTOR_SUBCOMMANDS)[number];

export const DOCTOR_HELP = `Usage: glowworm doctor [project options]                        the menu (needs a terminal)
       glowworm doctor SUBCOMMAND [--json|--plain] [options]      one item, without the menu

Subcommands:
  status            containers, health, images, database revision vs the backend image's head, latest backup;
                    what a fault left (exit 6) or a run working (exit 75), as \`glowworm status\`
  alembic-current   \`alembic current\` (in the backend, or a throwaway container when it is down)
  alembic-history   \`alembic history --verbose\`
  verify-schema     tables against the recorded revision, half-applied migrations (exit 3 when not ok)
  migrate           stop the app, verified backup, \`alembic upgrade head\`, start the app (needs --yes without a terminal)
  logs              the backend's log: --filter migration|errors|all (default migration), --follow, --tail N, --service S
  backups           the backups of this project, newest first
  history           every run of this project: when, from -> to, outcome, downtime, migration durations

--json: reports print one JSON document, migrate prints NDJSON events, logs print one JSON object per line.`;

const FILTERS: readonly LogFilter[] = ['all', 'migration', 'errors'];

function print(mode: Mode, json: unknown, text: string): void {
  process.stdout.write((mode === 'json' ? JSON.stringify(json) : text) + '\n');
}

async function logs(project: ProjectOptions, mode: Mode, values: Record<string, unknown>): Promise<number> {
  const filter = String(values['filter'] ?? 'migration') as LogFilter;
  if (!FILTERS.includes(filter)) throw userError('usage.bad-filter', `--filter must be one of ${FILTERS.join(', ')}, got "${filter}".`);
  const tail = values['tail'] === undefined ? undefined : Number(values['tail']);
  if (tail !== undefined && !(Number.isInteger(tail) && tail >= 0)) throw userError('usage.bad-number', `--tail needs a whole number, got "${String(values['tail'])}".`);
  const service = values['service'] as string | undefined;
  const query = { filter, follow: Boolean(values['follow']), ...(tail !== undefined ? { tail } : {}), ...(service ? { service } : {}) };
  // Following logs is for someone watching: when the terminal hangs up, stop (a run, by contrast, goes on).
  const signal = AbortSignal.any([interruptSignal(), hangup]);
  const stopped = new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  const out = new Output(process.stdout);
  for await (const line of engine.logs(project, query, signal)) {
    const text = mode === 'json'
      ? JSON.stringify({ v: 1, ...line })
      : `${line.ts === undefined ? '' : `${clockTime(line.ts)} `}${line.level === 'error' ? '✘ ' : line.level === 'warn' ? '! ' : '  '}${line.service} | ${line.text}`;
    await Promise.race([out.write(text + '\n'), stopped]);
    if (!out.open) break; // `doctor logs | head`: nobody reads any more, and logs change nothing, so stop
  }
  return ExitCode.ok;
}

async function runSubcommand(sub: Subcommand, project: ProjectOptions, mode: Mode, yes: boolean, values: Record<string, unknown>): Promise<number> {
  switch (sub) {
    case 'status': {
      const report = await engine.status(project);
      print(mode, report, rowsText(statusRows(report)));
      return statusExitCode(report); // the twin of `glowworm status`, exit code included
    }
    case 'alembic-current':
    case 'alembic-history': {
      const out = await engine.alembic(project, sub === 'alembic-current' ? 'current' : 'history');
      print(mode, out, rowsText(commandRows(out)));
      return out.exitCode === 0 ? ExitCode.ok : ExitCode.external;
    }
    case 'verify-schema': {
      const report = await engine.verifySchema(project);
      print(mode, report, rowsText(schemaRows(report)));
      return report.ok ? ExitCode.ok : ExitCode.needsAttention;
    }
    case 'backups': {
      const list = await engine.listBackups(project);
      print(mode, list, rowsText(backupRows(list)));
      return ExitCode.ok;
    }
    case 'migrate': {
      const io = headlessRunIO({ yes, interactive: mode !== 'json' && !!process.stdin.isTTY, signal: interruptSignal() });
      return drive(engine.migrate(project, io), mode === 'json' ? 'json' : 'plain');
    }
    case 'logs':
      return logs(project, mode, values);
    case 'history': {
      const runs = await engine.history(project);
      print(mode, { v: 1, type: 'history', runs }, historyText(runs)); // the twin of `glowworm history`
      return ExitCode.ok;
    }
  }
}

export async function doctorCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('doctor', argv, {
    filter: { type: 'string' },
    follow: { type: 'boolean' },
    tail: { type: 'string' },
    service: { type: 'string' },
  }, true);
  const common = commonArgs(values, { stdoutIsTTY: !!process.stdout.isTTY, stdinIsTTY: !!process.stdin.isTTY });
  if (common.help) {
    process.stdout.write(`${DOCTOR_HELP}\n\n${PROJECT_OPTIONS_HELP}\n`);
    return ExitCode.ok;
  }
  const project: ProjectOptions = await resolveProject(common.project);
  const [sub, ...extra] = positionals;
  if (extra.length) throw userError('usage.extra-args', `glowworm doctor: unexpected "${extra.join(' ')}".`, 'Run "glowworm doctor --help".');
  if (sub === undefined) {
    if (common.mode !== 'tui') {
      throw userError('usage.doctor-needs-terminal', 'The doctor\'s menu needs a terminal.', `Name what to run instead: glowworm doctor ${DOCTOR_SUBCOMMANDS.join('|')} (see --help).`);
    }
    return (await import('../tui.js')).runDoctorTui(project, engine);
  }
  if (!(DOCTOR_SUBCOMMANDS as readonly string[]).includes(sub)) {
    throw userError('usage.doctor-subcommand', `glowworm doctor: unknown subcommand "${sub}".`, `Use one of: ${DOCTOR_SUBCOMMANDS.join(', ')}.`);
  }
  return runSubcommand(sub as Subcommand, project, common.mode === 'tui' ? 'plain' : common.mode, common.yes, values);
}

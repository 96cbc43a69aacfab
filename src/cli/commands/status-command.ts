// `glowworm status`: one look at the deployment, rendered as the doctor's status (the same rows, no ink);
// `--json` prints the report as one JSON document. The exit code says whether anything needs doing, so that a script
// (or a person after a crash) is not told "0" while the app is down and an upgrade stopped half-way.
import type { StatusReport } from '../../engine/api.js';
import type { StatusAttention } from '../../engine/commands/status.js';
import { engine } from '../../engine/engine.js';
import { statusRows } from '../../ui/state/report-rows.js';
import { rowsText } from '../../ui/state/rows.js';
import { commonArgs, parseCommand, PROJECT_OPTIONS_HELP } from '../args.js';
import { resolveProject } from '../project-args.js';
import { ExitCode } from '../exit-codes.js';

/**
 * 0 when nothing needs doing, 75 while a live run holds the lock, 6 when a fault left something (docs/exit-codes.md).
 * The engine's reports carry `attention`; EngineApi's StatusReport type does not declare it yet, hence the optional.
 */
export function statusExitCode(report: StatusReport & { attention?: StatusAttention }): number {
  switch (report.attention?.verdict ?? 'ok') {
    case 'ok':
      return ExitCode.ok;
    case 'running':
      return ExitCode.locked;
    case 'attention':
      return ExitCode.statusAttention;
  }
}

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand('status', argv, {});
  const common = commonArgs(values, { stdoutIsTTY: !!process.stdout.isTTY, stdinIsTTY: !!process.stdin.isTTY });
  if (common.help) {
    process.stdout.write('Usage: glowworm status [project options] [--json]\n\nExit codes: 0 nothing to do, 6 something needs attention (the report says what to run), 75 a run is working.\n\n' + PROJECT_OPTIONS_HELP + '\n');
    return 0;
  }
  const report = await engine.status(await resolveProject(common.project));
  process.stdout.write((common.mode === 'json' ? JSON.stringify(report) : rowsText(statusRows(report))) + '\n');
  return statusExitCode(report);
}

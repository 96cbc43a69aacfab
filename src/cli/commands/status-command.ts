// `glowworm status`: one look at the deployment, rendered as the doctor's status (the same rows, no ink);
// `--json` prints the report as one JSON document.
import { engine } from '../../engine/engine.js';
import { statusRows } from '../../ui/state/report-rows.js';
import { rowsText } from '../../ui/state/rows.js';
import { commonArgs, parseCommand } from '../args.js';

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand('status', argv, {});
  const common = commonArgs(values, { stdoutIsTTY: !!process.stdout.isTTY, stdinIsTTY: !!process.stdin.isTTY });
  if (common.help) {
    process.stdout.write('Usage: glowworm status [--project-dir DIR] [-f FILE]... [--json]\n');
    return 0;
  }
  const report = await engine.status({ projectDir: common.projectDir, files: common.files });
  process.stdout.write((common.mode === 'json' ? JSON.stringify(report) : rowsText(statusRows(report))) + '\n');
  return 0;
}

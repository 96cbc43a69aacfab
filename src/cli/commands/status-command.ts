// `glowworm status`: one look at the deployment; `--json` prints the report as one JSON document.
import type { StatusReport } from '../../engine/api.js';
import { engine } from '../../engine/engine.js';
import { commonArgs, parseCommand } from '../args.js';

export function formatStatus(r: StatusReport): string {
  const lines = [`${r.project.name} (${r.project.dir})`, ''];
  const width = Math.max(...r.services.map((s) => s.service.length), 7);
  for (const s of r.services) {
    const health = s.health ? ` (${s.health})` : '';
    const restarts = s.restartCount ? `, ${s.restartCount} restarts` : '';
    lines.push(`  ${s.service.padEnd(width)}  ${(s.state + health + restarts).padEnd(24)} ${s.image ?? '-'}${s.version ? `  [${s.version}]` : ''}`);
  }
  const db = r.database;
  lines.push('', `Database: ${db.reachable ? `${db.name} at ${db.revisions?.join(', ') || 'no revision (empty)'}, ${db.tables} tables` : 'not reachable'}`);
  if (r.backendImage) {
    const pending = r.backendImage.pending;
    lines.push(`Backend image head: ${r.backendImage.heads.join(', ')}` + (r.backendImage.error ? ` — ${r.backendImage.error}` : pending === null ? '' : pending.length ? ` — ${pending.length} pending: ${pending.map((p) => p.id).join(', ')}` : ' — database is at head'));
  }
  lines.push(`Latest backup: ${r.latestBackup ? `${r.latestBackup.path} (${r.latestBackup.createdAt}, ${r.latestBackup.verified ? 'verified' : 'not verified'})` : 'none'}`);
  for (const w of r.warnings) lines.push(`! ${w}`);
  return lines.join('\n');
}

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand('status', argv, {});
  const common = commonArgs(values, { stdoutIsTTY: !!process.stdout.isTTY, stdinIsTTY: !!process.stdin.isTTY });
  if (common.help) {
    process.stdout.write('Usage: glowworm status [--project-dir DIR] [-f FILE]... [--json]\n');
    return 0;
  }
  const report = await engine.status({ projectDir: common.projectDir, files: common.files });
  process.stdout.write((common.mode === 'json' ? JSON.stringify(report) : formatStatus(report)) + '\n');
  return 0;
}

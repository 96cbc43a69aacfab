// The `--notify URL` flag of the commands that notify (upgrade, backup, recover, check), and the targets it names
// with GLOWWORM_NOTIFY and `.glowworm/config` (targets.ts).
import { notifyTargets, type NotifyTarget } from './targets.js';

export const NOTIFY_OPTION = { notify: { type: 'string', multiple: true } } as const;

export const NOTIFY_HELP = `  --notify URL    POST the outcome to URL (repeatable; http(s):// as JSON, ntfy://host/topic as text); also
                  GLOWWORM_NOTIFY and the notify: list of .glowworm/config. Never changes the exit code.`;

export function notifyFrom(values: { notify?: string[] | undefined }, projectDir: string): Promise<NotifyTarget[]> {
  return notifyTargets(values.notify ?? [], projectDir);
}

// Sending a notification: a POST per target, tried a few times with a short pause. A notification that cannot be
// delivered is said on stderr (the target by its origin only) and never changes the run's exit code: the run is
// over by now, and what it did stands.
import type { Notification } from './message.js';
import { redactUrl, type NotifyTarget } from './targets.js';

export interface DeliveryOptions {
  attempts?: number;
  pauseMs?: number;
  timeoutMs?: number;
  warn?: (line: string) => void;
}

function request(target: NotifyTarget, n: Notification): { headers: Record<string, string>; body: string } {
  if (target.kind === 'json') return { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(n) };
  const urgent = n.event === 'rollback-incomplete' || n.event === 'failed';
  return {
    // ntfy reads these headers (docs.ntfy.sh/publish); header values must be Latin-1, so the title stays ASCII.
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      Title: n.title.replace(/[^\x20-\x7e]/g, '-'),
      Priority: urgent ? 'urgent' : n.event === 'completed' ? 'default' : 'high',
      Tags: n.event === 'completed' ? 'white_check_mark' : n.event === 'update-available' ? 'arrow_up' : 'warning',
    },
    body: n.text || n.title,
  };
}

async function post(target: NotifyTarget, n: Notification, timeoutMs: number): Promise<void> {
  const url = new URL(target.url);
  const headers: Record<string, string> = { ...request(target, n).headers };
  if (url.username) {
    headers['Authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  const res = await fetch(url, { method: 'POST', headers, body: request(target, n).body, signal: AbortSignal.timeout(timeoutMs) });
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
}

/** Delivers to every target; resolves (never rejects) with the targets that could not be reached. */
export async function deliver(targets: NotifyTarget[], n: Notification, opts: DeliveryOptions = {}): Promise<NotifyTarget[]> {
  const attempts = opts.attempts ?? 3;
  const warn = opts.warn ?? ((line) => process.stderr.write(line + '\n'));
  const failed: NotifyTarget[] = [];
  await Promise.all(targets.map(async (target) => {
    let last = '';
    for (let i = 0; i < attempts; i++) {
      try {
        await post(target, n, opts.timeoutMs ?? 10_000);
        return;
      } catch (error) {
        const e = error as Error & { cause?: { code?: string } };
        last = e.cause?.code ?? e.message;
        if (i + 1 < attempts) await new Promise((r) => setTimeout(r, (opts.pauseMs ?? 1000) * (i + 1)));
      }
    }
    failed.push(target);
    warn(`glowworm: warning: the ${n.event} notification to ${redactUrl(target.url)} could not be delivered after ${attempts} tries (${last}); the run's outcome stands.`);
  }));
  return failed;
}

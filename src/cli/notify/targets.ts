// Where notifications go: every `--notify URL`, then GLOWWORM_NOTIFY (URLs separated by commas or spaces), then the
// `notify:` list of the project's optional `.glowworm/config` (project-config.ts). Checked before the run starts: a URL we could
// never deliver to is a usage error (exit 2), not a warning after an upgrade.
import { userError } from '../../engine/errors.js';
import { readProjectConfig } from '../project-config.js';

export interface NotifyTarget {
  /** `json`: a JSON POST (any webhook); `ntfy`: a plain-text POST to an ntfy topic with its Title/Priority/Tags. */
  kind: 'json' | 'ntfy';
  /** The URL POSTed to. It may hold a token (a webhook's path, ntfy credentials): never print it whole. */
  url: string;
}

/** `ntfy://[user:pass@]host/topic[?scheme=http]` (shoutrrr's form, as watchtower users write it) → the topic's URL. */
function ntfyUrl(url: URL): string {
  const scheme = url.searchParams.get('scheme') === 'http' ? 'http' : 'https';
  const auth = url.username ? `${url.username}${url.password ? `:${url.password}` : ''}@` : '';
  return `${scheme}://${auth}${url.host}${url.pathname}`;
}

export function parseTarget(text: string): NotifyTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw userError('notify.bad-url', `"${redactUrl(text)}" is not a URL to notify.`, 'Use http(s)://… for a JSON webhook or ntfy://host/topic for ntfy.');
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'json', url: url.toString() };
  if (url.protocol === 'ntfy:' && url.pathname.length > 1) return { kind: 'ntfy', url: ntfyUrl(url) };
  throw userError('notify.bad-url', `glowworm cannot notify "${redactUrl(text)}": only http(s):// (a JSON POST) and ntfy://host/topic are supported.`,
    'Pass an http(s) webhook URL or an ntfy topic.');
}

export async function notifyTargets(flags: string[], projectDir: string, env: NodeJS.ProcessEnv = process.env): Promise<NotifyTarget[]> {
  const fromEnv = (env['GLOWWORM_NOTIFY'] ?? '').split(/[\s,]+/).filter(Boolean);
  const all = [...flags, ...fromEnv, ...(await readProjectConfig(projectDir)).notify];
  return [...new Set(all)].map(parseTarget);
}

/** A URL fit to print: its origin only (the path and the credentials may be the secret). */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname.length > 1 ? '/…' : '/'}`;
  } catch {
    return '(unparseable URL)';
  }
}

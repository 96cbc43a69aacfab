// The registry's `WWW-Authenticate` answer to an anonymous request (distribution's token auth spec): `Bearer
// realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:x/y:pull"` means "fetch a token
// there"; `Basic realm=…` means "send the credentials on each request".

export type Challenge =
  | { scheme: 'bearer'; realm: string; service: string | null; scope: string | null }
  | { scheme: 'basic' };

export function parseChallenge(header: string | null): Challenge | null {
  if (!header) return null;
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  if (scheme === 'basic') return { scheme: 'basic' };
  if (scheme !== 'bearer') return null;
  const params: Record<string, string> = {};
  // key="value" pairs, comma-separated; values may hold commas (scopes of several actions), so match quoted strings.
  for (const m of header.slice(space + 1).matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!.toLowerCase()] = m[2]!;
  if (!params['realm']) return null;
  return { scheme: 'bearer', realm: params['realm'], service: params['service'] ?? null, scope: params['scope'] ?? null };
}

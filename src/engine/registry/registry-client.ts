// A reader of a registry's HTTP API (v2): the tags of a repository and the digest a tag points at now, asked without
// pulling anything. It authenticates as a pull does — the credentials `docker login` stored (docker/registry-auth.ts),
// and distribution's token flow (a 401 names the realm to get a bearer token from, anonymously when nothing is stored).
import { createHash } from 'node:crypto';
import { externalError } from '../errors.js';
import { registryAuthFor, type AuthConfig } from '../docker/registry-auth.js';
import { parseChallenge } from './challenge.js';
import { registryEndpoint, type RegistryEndpoint } from './endpoint.js';

/** What `check` and the tag hints need from a registry; tests of the callers may pass a fake. */
export interface RegistryReader {
  /** Every tag of the reference's repository, as the registry lists them. */
  tags(ref: string): Promise<string[]>;
  /** The digest the reference's tag points at now (index digest for a multi-platform image); null: no such tag. */
  digest(ref: string): Promise<string | null>;
}

// Index and list first: a multi-platform pull records the index's digest in RepoDigests, so that is what we compare.
const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
].join(', ');
const MAX_PAGES = 50;
const TIMEOUT_MS = 15_000;

type Fetch = typeof fetch;

export class RegistryClient implements RegistryReader {
  /** Bearer tokens by realm+scope, so one check asks the token server once per repository. */
  private readonly tokens = new Map<string, string>();

  constructor(
    private readonly auth: (ref: string) => Promise<AuthConfig | null> = (ref) => registryAuthFor(ref),
    private readonly http: Fetch = fetch,
  ) {}

  async tags(ref: string): Promise<string[]> {
    const ep = registryEndpoint(ref);
    const out: string[] = [];
    let path: string | null = `/v2/${ep.repository}/tags/list?n=1000`;
    for (let page = 0; path && page < MAX_PAGES; page++) {
      const res = await this.request(ref, ep, 'GET', path, { Accept: 'application/json' });
      if (res.status === 404) throw externalError('registry.repository-unknown', `The registry ${ep.baseUrl} has no repository ${ep.repository}.`, 'Check the image name in the compose file.');
      await this.ensureOk(res, ep, 'list the tags of');
      const body = (await res.json()) as { tags?: string[] | null };
      out.push(...(body.tags ?? []));
      path = nextPage(res.headers.get('link'));
    }
    return out;
  }

  async digest(ref: string): Promise<string | null> {
    const ep = registryEndpoint(ref);
    const reference = ep.tag ?? 'latest';
    const path = `/v2/${ep.repository}/manifests/${reference}`;
    let res = await this.request(ref, ep, 'HEAD', path, { Accept: MANIFEST_ACCEPT });
    if (res.status === 404) return null;
    await this.ensureOk(res, ep, 'read the manifest of');
    const header = res.headers.get('docker-content-digest');
    if (header) return header;
    // Some registries leave the header off a HEAD: the digest is the sha256 of the manifest's bytes as served.
    res = await this.request(ref, ep, 'GET', path, { Accept: MANIFEST_ACCEPT });
    await this.ensureOk(res, ep, 'read the manifest of');
    return res.headers.get('docker-content-digest') ?? `sha256:${createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex')}`;
  }

  /** One request, answering the registry's auth challenge once (token or basic) when it sends one. */
  private async request(ref: string, ep: RegistryEndpoint, method: string, path: string, headers: Record<string, string>): Promise<Response> {
    const url = ep.baseUrl + path;
    const scope = `repository:${ep.repository}:pull`;
    const cached = this.tokens.get(`${ep.baseUrl} ${scope}`);
    let res = await this.send(url, method, cached ? { ...headers, Authorization: `Bearer ${cached}` } : headers);
    if (res.status !== 401) return res;
    const challenge = parseChallenge(res.headers.get('www-authenticate'));
    const creds = await this.auth(ref);
    if (challenge?.scheme === 'basic' && creds) {
      res = await this.send(url, method, { ...headers, Authorization: `Basic ${basic(creds)}` });
    } else if (challenge?.scheme === 'bearer') {
      const token = await this.token(challenge.realm, challenge.service, challenge.scope ?? scope, creds);
      this.tokens.set(`${ep.baseUrl} ${scope}`, token);
      res = await this.send(url, method, { ...headers, Authorization: `Bearer ${token}` });
    }
    return res;
  }

  private async token(realm: string, service: string | null, scope: string, creds: AuthConfig | null): Promise<string> {
    const url = new URL(realm);
    if (service) url.searchParams.set('service', service);
    url.searchParams.set('scope', scope);
    const res = await this.send(url.toString(), 'GET', creds ? { Authorization: `Basic ${basic(creds)}` } : {});
    if (!res.ok) {
      throw externalError('registry.auth-failed', `The registry's token server ${url.origin} refused a pull token (HTTP ${res.status}).`,
        creds ? 'Check the credentials `docker login` stored for this registry.' : 'Log in first: docker login <registry>.');
    }
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw externalError('registry.auth-failed', `The registry's token server ${url.origin} answered without a token.`);
    return token;
  }

  private async send(url: string, method: string, headers: Record<string, string>): Promise<Response> {
    try {
      return await this.http(url, { method, headers, redirect: 'follow', signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw externalError('registry.unreachable', `The registry at ${new URL(url).origin} could not be reached: ${cause?.code ?? cause?.message ?? (error as Error).message}.`,
        'Check the network and the registry; nothing was changed.');
    }
  }

  private async ensureOk(res: Response, ep: RegistryEndpoint, what: string): Promise<void> {
    if (res.ok) return;
    const denied = res.status === 401 || res.status === 403;
    throw externalError(denied ? 'registry.denied' : 'registry.failed', `The registry ${ep.baseUrl} would not ${what} ${ep.repository} (HTTP ${res.status}).`,
      denied ? 'Log in as for a pull (docker login <registry>), then run again.' : 'Try again later; nothing was changed.');
  }
}

function basic(creds: AuthConfig): string {
  return Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
}

/** The next page of a tags list, from `Link: </v2/…/tags/list?last=x&n=1000>; rel="next"`. */
export function nextPage(link: string | null): string | null {
  const m = link?.match(/<([^>]+)>\s*;\s*rel="?next"?/);
  if (!m) return null;
  const target = m[1]!;
  return target.startsWith('/') ? target : new URL(target).pathname + new URL(target).search;
}

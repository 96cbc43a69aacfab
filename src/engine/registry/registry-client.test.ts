// The registry client against a registry-shaped HTTP listener on loopback that demands a bearer token the way Docker
// Hub does (the rig's registry, without auth, is the integration tests' counterpart: test/check.test.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChallenge } from './challenge.js';
import { nextPage, RegistryClient } from './registry-client.js';

const DIGEST = 'sha256:' + 'a'.repeat(64);
let server: Server;
let host: string;
const seen: { tokenAuth: string | undefined; accept: string | undefined; tokenCalls: number } = { tokenAuth: undefined, accept: undefined, tokenCalls: 0 };

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url!, 'http://x');
  if (url.pathname === '/token') {
    seen.tokenCalls += 1;
    seen.tokenAuth = req.headers.authorization;
    expect(url.searchParams.get('scope')).toBe('repository:team/backend:pull');
    res.end(JSON.stringify({ token: 'tok-123' }));
    return;
  }
  if (req.headers.authorization !== 'Bearer tok-123') {
    res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://${host}/token",service="test-registry",scope="repository:team/backend:pull"` });
    res.end();
    return;
  }
  if (url.pathname === '/v2/team/backend/tags/list') {
    const last = url.searchParams.get('last');
    if (!last) {
      res.writeHead(200, { Link: '</v2/team/backend/tags/list?last=1.1.0&n=1000>; rel="next"' });
      res.end(JSON.stringify({ name: 'team/backend', tags: ['1.0.0', '1.1.0'] }));
    } else res.end(JSON.stringify({ name: 'team/backend', tags: ['2.0.0', 'latest'] }));
    return;
  }
  if (url.pathname === '/v2/team/backend/manifests/latest' && req.method === 'HEAD') {
    seen.accept = req.headers.accept;
    res.writeHead(200, { 'Docker-Content-Digest': DIGEST });
    res.end();
    return;
  }
  res.writeHead(404);
  res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN' }] }));
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('RegistryClient', () => {
  const creds = async () => ({ username: 'me', password: 'pw', serveraddress: host });

  it('gets a token with the stored credentials and lists every page of tags', async () => {
    const client = new RegistryClient(creds);
    expect(await client.tags(`${host}/team/backend:1.0.0`)).toEqual(['1.0.0', '1.1.0', '2.0.0', 'latest']);
    expect(seen.tokenAuth).toBe(`Basic ${Buffer.from('me:pw').toString('base64')}`);
    expect(seen.tokenCalls).toBe(1); // the token is reused for the second page
  });

  it("reads a tag's digest with a HEAD that accepts indexes and manifests; an unknown tag is null", async () => {
    const client = new RegistryClient(async () => null);
    expect(await client.digest(`${host}/team/backend:latest`)).toBe(DIGEST);
    expect(seen.accept).toContain('application/vnd.oci.image.index.v1+json');
    expect(seen.accept).toContain('application/vnd.docker.distribution.manifest.v2+json');
    expect(await client.digest(`${host}/team/backend:9.9.9`)).toBeNull();
  });

  it('says which registry it could not reach', async () => {
    const client = new RegistryClient(async () => null);
    await expect(client.tags('127.0.0.1:1/team/backend:1.0.0')).rejects.toMatchObject({ kind: 'external', code: 'registry.unreachable' });
  });
});

describe('auth challenges and pages', () => {
  it('parses bearer and basic challenges', () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/mysql:pull,push"'))
      .toEqual({ scheme: 'bearer', realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/mysql:pull,push' });
    expect(parseChallenge('Basic realm="Registry"')).toEqual({ scheme: 'basic' });
    expect(parseChallenge(null)).toBeNull();
  });
  it('follows a Link header to the next page', () => {
    expect(nextPage('</v2/a/tags/list?last=x&n=10>; rel="next"')).toBe('/v2/a/tags/list?last=x&n=10');
    expect(nextPage(null)).toBeNull();
  });
});

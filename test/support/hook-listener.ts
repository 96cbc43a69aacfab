// A webhook receiver the test starts on loopback and stops after: it keeps every POST (path, headers, body). A path
// under /flaky/ answers 500 to its first request, to prove the sender retries.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HookListener {
  url: (path: string) => string;
  received: Received[];
  close(): Promise<void>;
}

export async function startHookListener(): Promise<HookListener> {
  const received: Received[] = [];
  const flakySeen = new Set<string>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (path.startsWith('/flaky/') && !flakySeen.has(path)) {
        flakySeen.add(path);
        res.writeHead(500).end();
        return;
      }
      received.push({ path, headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A loopback URL nothing listens on (a port just freed). */
export async function unreachableUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}/nobody-home`;
}

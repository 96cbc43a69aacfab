// HTTP requests from inside a container: GlowWorm publishes no backend port, so `/health` and `/api/settings` are
// reachable only on the compose network. We exec curl in the backend container (its own healthcheck uses curl) and
// fall back to python3's urllib when curl is missing. A probe token travels on the exec's stdin and nowhere else: not
// in argv (every process's command line, the containers' included, is visible to `ps` on the host), and not in an env
// variable a shell would expand into argv.
import { Readable } from 'node:stream';
import type { DockerPort, ExecResult } from '../docker/port.js';

export interface HttpProbeResult {
  status: number | null;
  body: string;
  error: string | null;
}

const PY_FETCH = `
import sys, urllib.request
req = urllib.request.Request(sys.argv[1])
tok = sys.stdin.readline().strip() if sys.argv[2:] == ["--token-on-stdin"] else ""
if tok:
    req.add_header("Cookie", "glowworm_session=" + tok)
    req.add_header("Authorization", "Bearer " + tok)
try:
    r = urllib.request.urlopen(req, timeout=10)
    code, body = r.status, r.read()
except urllib.error.HTTPError as e:
    code, body = e.code, e.read()
sys.stdout.write(str(code) + "\\n" + body.decode("utf-8", "replace"))
`;

// curl prints the body, then the status code on its own last line. The headers come from a curl config on stdin
// (`-K -`), so curl's argv holds no token; `exec` replaces the shell, which is there only so that a missing curl
// exits 127 (the cue for python3) rather than failing the exec.
const CURL = 'exec curl -sS --max-time 10 "$@"';

/** curl's config file syntax: one `header = "…"` line per header (the token is hex: nothing to escape). */
function curlConfig(token: string): string {
  return `header = "Cookie: glowworm_session=${token}"\nheader = "Authorization: Bearer ${token}"\n`;
}

/** GlowWorm's own health answer, asked inside the backend container. Used to wait for it and to verify it. */
export async function backendHealth(docker: DockerPort, container: string): Promise<{ healthy: boolean; failure: string | null; detail: string }> {
  const res = await httpGetInContainer(docker, container, 'http://localhost:8001/health');
  const healthy = res.status === 200 && /"status"\s*:\s*"healthy"/.test(res.body);
  // How it failed, for comparing with before the upgrade: no answer, an HTTP status, or a 200 that is not "healthy".
  const failure = healthy ? null : res.error ? 'unreachable' : res.status === 200 ? 'not-healthy' : `http-${res.status}`;
  return { healthy, failure, detail: healthy ? 'GET /health answered healthy' : `GET /health: ${res.error ?? `${res.status} ${res.body.slice(0, 120)}`}` };
}

export async function httpGetInContainer(
  docker: DockerPort,
  container: string,
  url: string,
  token?: string,
): Promise<HttpProbeResult> {
  const run = (cmd: string[], stdin: string | null): Promise<ExecResult> =>
    stdin === null ? docker.exec(container, cmd) : docker.execWithStdin(container, cmd, Readable.from([stdin]));
  const curlArgs = [...(token ? ['-K', '-'] : []), '-w', '\\n%{http_code}', url];
  const curl = await run(['sh', '-c', CURL, 'probe', ...curlArgs], token ? curlConfig(token) : null);
  if (curl.exitCode === 0) {
    const at = curl.stdout.lastIndexOf('\n');
    return { status: Number(curl.stdout.slice(at + 1)) || null, body: curl.stdout.slice(0, Math.max(0, at)), error: null };
  }
  if (curl.exitCode !== 127) return { status: null, body: '', error: curl.stderr.trim() || `curl exited ${curl.exitCode}` };
  const py = await run(['python3', '-c', PY_FETCH, url, ...(token ? ['--token-on-stdin'] : [])], token ? `${token}\n` : null);
  if (py.exitCode !== 0) return { status: null, body: '', error: py.stderr.trim().split('\n').at(-1) ?? 'request failed' };
  const nl = py.stdout.indexOf('\n');
  return { status: Number(py.stdout.slice(0, nl)) || null, body: py.stdout.slice(nl + 1), error: null };
}

// HTTP requests from inside a container: GlowWorm publishes no backend port, so `/health` and `/api/settings` are
// reachable only on the compose network. We exec curl in the backend container (its own healthcheck uses curl) and
// fall back to python3's urllib when curl is missing. Secrets (a probe token) travel in the exec's env, not argv.
import type { DockerPort } from '../docker/port.js';

export interface HttpProbeResult {
  status: number | null;
  body: string;
  error: string | null;
}

const PY_FETCH = `
import os, sys, urllib.request
req = urllib.request.Request(sys.argv[1])
tok = os.environ.get("GLOWWORM_PROBE_TOKEN")
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

// curl prints the body, then the status code on its own last line. The headers are harmless when the token is
// empty (the health endpoint ignores them), which keeps the shell free of conditional quoting.
const CURL =
  'curl -sS --max-time 10 -H "Cookie: glowworm_session=$GLOWWORM_PROBE_TOKEN" ' +
  '-H "Authorization: Bearer $GLOWWORM_PROBE_TOKEN" -w "\\n%{http_code}" "$1"';

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
  const env = token ? [`GLOWWORM_PROBE_TOKEN=${token}`] : [];
  const curl = await docker.exec(container, ['sh', '-c', CURL, 'probe', url], { env });
  if (curl.exitCode === 0) {
    const at = curl.stdout.lastIndexOf('\n');
    return { status: Number(curl.stdout.slice(at + 1)) || null, body: curl.stdout.slice(0, Math.max(0, at)), error: null };
  }
  if (curl.exitCode !== 127) return { status: null, body: '', error: curl.stderr.trim() || `curl exited ${curl.exitCode}` };
  const py = await docker.exec(container, ['python3', '-c', PY_FETCH, url], { env });
  if (py.exitCode !== 0) return { status: null, body: '', error: py.stderr.trim().split('\n').at(-1) ?? 'request failed' };
  const nl = py.stdout.indexOf('\n');
  return { status: Number(py.stdout.slice(0, nl)) || null, body: py.stdout.slice(nl + 1), error: null };
}

import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { DockerPort, ExecResult } from '../docker/port.js';
import { httpGetInContainer } from './http-probe.js';

const TOKEN = 'a'.repeat(16) + 'f00d'.repeat(12);

/** Records every exec: its argv and what it got on stdin. `curlMissing`: the shell answers 127, as without curl. */
function recordingDocker(opts: { curlMissing?: boolean } = {}) {
  const calls: { cmd: string[]; stdin: string | null }[] = [];
  const answer = (cmd: string[]): ExecResult =>
    cmd[0] === 'sh' && opts.curlMissing ? { exitCode: 127, stdout: '', stderr: 'sh: exec: curl: not found' }
      : cmd[0] === 'sh' ? { exitCode: 0, stdout: '{"success":true}\n200', stderr: '' }
        : { exitCode: 0, stdout: '200\n{"success":true}', stderr: '' };
  const port = {
    exec: async (_c: string, cmd: string[]) => (calls.push({ cmd, stdin: null }), answer(cmd)),
    execWithStdin: async (_c: string, cmd: string[], stdin: Readable, execOpts?: { env?: string[] }) => {
      let text = '';
      for await (const chunk of stdin) text += String(chunk);
      calls.push({ cmd: [...cmd, ...(execOpts?.env ?? [])], stdin: text });
      return answer(cmd);
    },
  } as Partial<DockerPort> as DockerPort;
  return { port, calls };
}

describe('httpGetInContainer', () => {
  it('gives curl the session token in a config on stdin: no argv (or env) of the exec holds it', async () => {
    const { port, calls } = recordingDocker();
    expect(await httpGetInContainer(port, 'backend', 'http://localhost:8001/api/settings', TOKEN)).toEqual({ status: 200, body: '{"success":true}', error: null });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.cmd.join(' ')).not.toContain(TOKEN);
    expect(calls[0]!.cmd).toEqual(['sh', '-c', 'exec curl -sS --max-time 10 "$@"', 'probe', '-K', '-', '-w', '\\n%{http_code}', 'http://localhost:8001/api/settings']);
    expect(calls[0]!.stdin).toBe(`header = "Cookie: glowworm_session=${TOKEN}"\nheader = "Authorization: Bearer ${TOKEN}"\n`);
  });

  it('falls back to python3 when curl is missing, the token again on stdin only', async () => {
    const { port, calls } = recordingDocker({ curlMissing: true });
    expect(await httpGetInContainer(port, 'backend', 'http://localhost:8001/api/settings', TOKEN)).toEqual({ status: 200, body: '{"success":true}', error: null });
    expect(calls.map((c) => c.cmd[0])).toEqual(['sh', 'python3']);
    for (const call of calls) expect(call.cmd.join(' ')).not.toContain(TOKEN);
    expect(calls[1]!.cmd.slice(-2)).toEqual(['http://localhost:8001/api/settings', '--token-on-stdin']);
    expect(calls[1]!.stdin).toBe(`${TOKEN}\n`);
  });

  it('asks without a token with nothing on stdin (GET /health)', async () => {
    const { port, calls } = recordingDocker();
    await httpGetInContainer(port, 'backend', 'http://localhost:8001/health');
    expect(calls).toEqual([{ cmd: ['sh', '-c', 'exec curl -sS --max-time 10 "$@"', 'probe', '-w', '\\n%{http_code}', 'http://localhost:8001/health'], stdin: null }]);
  });
});

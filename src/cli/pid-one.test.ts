// As PID 1 (glowworm's image) a SIGTERM or SIGINT with no run's handler ends the process as the default action would;
// a run's own handler decides alone. Proven in a child process, where the pid can be passed as 1.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const module = new URL('./pid-one.ts', import.meta.url).pathname;

function runChild(body: string): { status: number | null; stdout: string } {
  const code = `import { exitOnSignalsAsPidOne } from ${JSON.stringify(module)};\n${body}`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout };
}

describe('exitOnSignalsAsPidOne', () => {
  it('exits 143 on SIGTERM and 130 on SIGINT as PID 1', () => {
    expect(runChild(`exitOnSignalsAsPidOne(1); setInterval(() => {}, 1000); process.kill(process.pid, 'SIGTERM');`).status).toBe(143);
    expect(runChild(`exitOnSignalsAsPidOne(1); setInterval(() => {}, 1000); process.kill(process.pid, 'SIGINT');`).status).toBe(130);
  });

  it("leaves the signal to a run's own handler", () => {
    const r = runChild(`exitOnSignalsAsPidOne(1); process.on('SIGTERM', () => { console.log('run stops at a safe point'); process.exit(7); }); setInterval(() => {}, 1000); process.kill(process.pid, 'SIGTERM');`);
    expect(r).toEqual({ status: 7, stdout: 'run stops at a safe point\n' });
  });

  it('installs nothing when not PID 1', () => {
    const r = runChild(`exitOnSignalsAsPidOne(4242); console.log(process.listenerCount('SIGTERM'), process.listenerCount('SIGINT'));`);
    expect(r).toEqual({ status: 0, stdout: '0 0\n' });
  });
});

import { describe, expect, it } from 'vitest';
import { GlowwormError } from '../errors.js';
import { fixtureReleases } from './glowworm-revisions.fixture.js';
import { decodeProbeOutput, readGraphFromImage, revisionsFromProbe, type RunInImage } from './history-probe.js';
import { PROBE_SCRIPT } from './probe-script.js';

const probeJson = {
  ini: '/app/alembic.ini',
  alembic_version: '1.13.1',
  heads: ['ce5826f818f3'],
  revisions: fixtureReleases['1.1.0'].map((r) => ({
    id: r.id,
    down_revisions: r.downRevisions,
    message: r.message,
    branch_labels: [],
    depends_on: [],
  })),
};

type Result = Awaited<ReturnType<RunInImage>>;
const ok = (stdout: string): Result => ({ exitCode: 0, stdout, stderr: '' });
const exit = (exitCode: number, stderr: string): Result => ({ exitCode, stdout: '', stderr });

/** A fake image: answers by program name and records what was run. */
function image(answers: Record<string, Result | Error>): { run: RunInImage; ran: string[][] } {
  const ran: string[][] = [];
  const run: RunInImage = async (cmd) => {
    ran.push(cmd);
    const answer = answers[cmd[0] as string];
    if (answer instanceof Error) throw answer;
    return answer ?? exit(127, `${cmd[0]}: not found`);
  };
  return { run, ran };
}

describe('decodeProbeOutput', () => {
  it('finds the JSON line among noise a migration module printed', () => {
    const stdout = `loading settings...\n{not json\n\n${JSON.stringify(probeJson)}\n`;
    expect(decodeProbeOutput(stdout)?.heads).toEqual(['ce5826f818f3']);
  });

  it('rejects documents of another shape', () => {
    expect(decodeProbeOutput('{"revisions": "no"}')).toBeNull();
    expect(decodeProbeOutput('{"heads": [], "revisions": [{"id": 1}]}')).toBeNull();
    expect(decodeProbeOutput('')).toBeNull();
  });

  it('maps snake_case revisions to Revision, keeping labels and dependencies only when set', () => {
    const output = decodeProbeOutput(
      JSON.stringify({
        ...probeJson,
        revisions: [
          { id: 'aux1', down_revisions: [], message: 'aux', branch_labels: ['aux'], depends_on: [] },
          { id: 'dep2', down_revisions: [], message: 'dep', branch_labels: [], depends_on: ['aux'] },
        ],
      }),
    );
    expect(output && revisionsFromProbe(output)).toEqual([
      { id: 'aux1', downRevisions: [], message: 'aux', branchLabels: ['aux'] },
      { id: 'dep2', downRevisions: [], message: 'dep', dependsOn: ['aux'] },
    ]);
  });
});

describe('readGraphFromImage', () => {
  it('uses the probe script under python3 and passes the ini folders', async () => {
    const { run, ran } = image({ python3: ok(JSON.stringify(probeJson)) });
    const history = await readGraphFromImage(run);
    expect(history.source).toBe('probe-script');
    expect(history.ini).toBe('/app/alembic.ini');
    expect(history.alembicVersion).toBe('1.13.1');
    expect(history.graph.heads).toEqual(['ce5826f818f3']);
    expect(history.warnings).toEqual([]);
    expect(ran).toEqual([['python3', '-c', PROBE_SCRIPT, '.', '/app', '/app/backend', '/backend']]);
  });

  it('falls back to python when there is no python3', async () => {
    const { run, ran } = image({ python3: new Error('exec: "python3": executable file not found in $PATH'), python: ok(JSON.stringify(probeJson)) });
    const history = await readGraphFromImage(run, { iniDirs: ['/srv'] });
    expect(history.command).toBe('python -c <probe> /srv');
    expect(ran.map((c) => c[0])).toEqual(['python3', 'python']);
  });

  it('falls back to `alembic history` text when python cannot import alembic', async () => {
    const history200 = [
      '2024110900 -> 2024110901 (head), add scheduled actions table',
      'ce5826f818f3 -> 2024110900, add device daemon tables',
      '366388fee193 -> ce5826f818f3, add playlist variants for resolution',
      'c2d3e4f5g6h7, 1c0cd51f0957 -> 366388fee193 (mergepoint), merge display mode and system settings',
      'a1b2c3d4e5f6 -> c2d3e4f5g6h7, create user logs table',
      'a1b2c3d4e5f6 -> 1c0cd51f0957, add scheduled playlists table',
      '000000000001 -> a1b2c3d4e5f6 (branchpoint), create device logs table',
      '<base> -> 000000000001, initial schema',
    ].join('\n');
    const noAlembic = exit(1, "ModuleNotFoundError: No module named 'alembic'");
    const { run, ran } = image({ python3: noAlembic, python: noAlembic, alembic: ok(history200) });
    const history = await readGraphFromImage(run);
    expect(history.source).toBe('alembic-history');
    expect(history.command).toBe('alembic history');
    expect(history.graph.heads).toEqual(['2024110901']);
    expect(history.graph.revisions.size).toBe(8);
    expect(ran.map((c) => c.join(' '))).toEqual(['python3', 'python'].map((p) => `${p} -c ${PROBE_SCRIPT} . /app /app/backend /backend`).concat('alembic history'));
  });

  it('tries `alembic -c <ini>` and a `cd` into the ini folder, then names every failure', async () => {
    const { run, ran } = image({ alembic: exit(255, "FAILED: No config file 'alembic.ini' found"), sh: exit(3, '') });
    const error = await readGraphFromImage(run).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GlowwormError);
    const { code, kind, message, hint } = error as GlowwormError;
    expect({ code, kind }).toEqual({ code: 'alembic.history-unreadable', kind: 'external' });
    expect(ran.slice(2).map((c) => c.slice(0, 3).join(' '))).toEqual([
      'alembic history',
      'alembic -c /app/alembic.ini',
      'alembic -c /app/backend/alembic.ini',
      'alembic -c /backend/alembic.ini',
      expect.stringMatching(/^sh -c if \[ -f '\.\/alembic\.ini' \]; then cd '\.' && exec alembic history; fi; /),
    ]);
    expect(message).toContain('python3 -c <probe> . /app /app/backend /backend: exit 127: python3: not found');
    expect(message).toContain("alembic -c /backend/alembic.ini history: exit 255: FAILED: No config file 'alembic.ini' found");
    expect(message).toContain('sh -c "cd <ini dir> && exec alembic history": exit 3: no output');
    expect(hint).toContain('/app/backend');
  });

  it('does not hide a broken graph behind the fallbacks', async () => {
    const broken = { ...probeJson, heads: [], problem: 'KeyError: 366388fee193' };
    broken.revisions = broken.revisions.filter((r) => r.id !== '366388fee193');
    const { run, ran } = image({ python3: ok(JSON.stringify(broken)) });
    await expect(readGraphFromImage(run)).rejects.toMatchObject({
      code: 'alembic.invalid-graph',
      message: expect.stringContaining('ce5826f818f3 revises 366388fee193'),
    });
    expect(ran).toHaveLength(1);
  });

  it("warns when Alembic's heads differ from the graph's", async () => {
    const { run } = image({ python3: ok(JSON.stringify({ ...probeJson, heads: ['a1b2c3d4e5f6'] })) });
    expect((await readGraphFromImage(run)).warnings).toEqual([
      'Alembic reports head(s) a1b2c3d4e5f6, the graph has ce5826f818f3.',
    ]);
  });
});

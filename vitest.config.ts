import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Fast unit tests beside the source, and integration tests against the real rig (Docker engine, registry, MariaDB).
//
// The integration files spend most of their time waiting on Docker, MariaDB and timeouts, so they run two at a time:
// in two lanes, each lane one file at a time, the lanes side by side (on two cores). Each file owns its stack (a
// random container prefix, a compose project named by its own temporary directory, a registry namespace of its own
// where it moves tags), so two files of different lanes do not meet. What they do share is listed in README.md
// ("Test lanes"); the files that cannot run beside any other go in `alone`, run one at a time after both lanes:
//  - backup-restore: "the next run removes a throwaway container whose glowworm was killed" kills a maker, then
//    expects its own next run to remove the orphan. Every glowworm run on this host sweeps every dead maker's
//    containers first (engine/docker/throwaway-owner.ts), so another file's run in between would remove it (the notice
//    would then be missing), and its own run would name another file's orphans.
//  - faults-secrets: watches every process's command line on the host while its upgrade runs, and counts the probe's
//    `curl …/api/settings` among them; beside another file's upgrade that count would see the other file's probes.
// install and tool-image run `npm pack`, whose prepare rewrites dist/ in place: they pack a copy of the checkout
// (test/support/private-checkout.ts), so they run in lanes like the rest.
//
// The lanes are explicit lists, balanced by the seconds each file took in the last full serial run (below). A file in
// no list still runs, in lane a (its include is the catch-all); test/rig/lanes.unit.test.ts fails until it is listed,
// and when a file is in two lists. Vitest 4 has no per-lane serial mode of its own: projects that share a
// sequence.groupOrder share that group's maxWorkers (they must set the same one), and fileParallelism: false means
// maxWorkers 1 for the whole group. So both lanes are one group of two workers, and each lane's files take the lane's
// lock (test/support/lane-lock.setup.ts) for as long as they run; the sequencer below queues the files in the order
// the two lanes would start them, so a worker rarely picks a file whose lane is still busy (it would wait there).

/** Seconds per integration file, from the last full serial run (2026-12-02): what the lanes are balanced by. */
export const INTEGRATION_SECONDS: Record<string, number> = {
  'test/faults.test.ts': 300,
  'test/real-release.test.ts': 200,
  'test/upgrade.test.ts': 97,
  'test/crash-loop.test.ts': 95,
  'test/faults-undo.test.ts': 75,
  'test/release.test.ts': 64,
  'test/compose-recognises.test.ts': 75,
  'test/backup-restore.test.ts': 86,
  'test/tool-image.test.ts': 59,
  'test/e2e-tmux.test.ts': 80,
  'test/rig-real.test.ts': 53,
  'test/faults-cli.test.ts': 49,
  'test/notify-history.test.ts': 35,
  'test/verify-baseline.test.ts': 28,
  'test/project-resolution.test.ts': 26,
  'test/engine-over-ssh.test.ts': 23,
  'test/faults-backups.test.ts': 22,
  'test/install.test.ts': 21,
  'test/auto-upgrade.test.ts': 20,
  'test/faults-secrets.test.ts': 20,
  'test/check.test.ts': 18,
  'test/backup-online.test.ts': 25,
  'test/backup-delta.test.ts': 15,
  'test/doctor.test.ts': 15,
  'test/doctor-advice.test.ts': 15,
  'test/rig.test.ts': 13,
  'test/chunk-checksum.test.ts': 13,
  'test/settings-probe.test.ts': 10,
  'test/upgrade-online-backup.test.ts': 35,
  'test/docker-port.test.ts': 5,
};

/** Every integration file in exactly one list, longest first within a lane. */
export const INTEGRATION_LANES = {
  a: [
    'test/faults.test.ts',
    'test/faults-undo.test.ts',
    'test/compose-recognises.test.ts',
    'test/upgrade-online-backup.test.ts',
    'test/docker-port.test.ts',
    'test/e2e-tmux.test.ts',
    'test/faults-cli.test.ts',
    'test/project-resolution.test.ts',
    'test/engine-over-ssh.test.ts',
    'test/install.test.ts',
    'test/backup-online.test.ts',
    'test/doctor.test.ts',
    'test/rig.test.ts',
    'test/chunk-checksum.test.ts',
  ],
  b: [
    'test/real-release.test.ts',
    'test/upgrade.test.ts',
    'test/crash-loop.test.ts',
    'test/release.test.ts',
    'test/tool-image.test.ts',
    'test/rig-real.test.ts',
    'test/notify-history.test.ts',
    'test/verify-baseline.test.ts',
    'test/faults-backups.test.ts',
    'test/auto-upgrade.test.ts',
    'test/check.test.ts',
    'test/backup-delta.test.ts',
    'test/doctor-advice.test.ts',
    'test/settings-probe.test.ts',
  ],
  alone: [
    'test/backup-restore.test.ts',
    'test/faults-secrets.test.ts',
  ],
};

const UNIT_IN_TEST = 'test/rig/**/*.unit.test.ts';
/** A file the table does not know yet (a new one, in the catch-all) is expected to take this long. */
const UNKNOWN_SECONDS = 30;
const LANE_PROJECTS = ['integration-a', 'integration-b'];

/**
 * The base order everywhere, except the two lanes' files: queued in the order a run at the expected durations would
 * start them (each lane longest first; the next file from the lane that frees first), so that when a worker frees,
 * the file at the head of the queue is usually the next one of the lane that just finished.
 */
class LaneSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const seconds = (spec: TestSpecification) => INTEGRATION_SECONDS[relative(this.ctx.config.root, spec.moduleId)] ?? UNKNOWN_SECONDS;
    const lanes = LANE_PROJECTS.map((name) => sorted.filter((spec) => spec.project.name === name).sort((x, y) => seconds(y) - seconds(x)));
    const clocks = lanes.map(() => 0);
    const queued: TestSpecification[] = [];
    while (lanes.some((lane) => lane.length > 0)) {
      const next = lanes.map((lane, i) => (lane.length > 0 ? i : -1)).filter((i) => i >= 0).sort((x, y) => clocks[x]! - clocks[y]! || x - y)[0]!;
      const spec = lanes[next]!.shift()!;
      clocks[next]! += seconds(spec);
      queued.push(spec);
    }
    return [...sorted.filter((spec) => !LANE_PROJECTS.includes(spec.project.name)), ...queued];
  }
}

const integration = {
  environment: 'node',
  testTimeout: 600_000,
  hookTimeout: 600_000,
} as const;

// One id per vitest run for the lane locks: another checkout's run on this machine takes locks of its own.
const run = String(process.pid);

function lane(name: 'a' | 'b', include: string[], exclude: string[]) {
  return {
    test: {
      ...integration,
      name: `integration-${name}`,
      include,
      exclude,
      sequence: { groupOrder: 1 },
      maxWorkers: 2,
      setupFiles: ['test/support/lane-lock.setup.ts'],
      env: { GLOWWORM_LANE: name, GLOWWORM_LANE_RUN: run },
    },
  };
}

export default defineConfig({
  test: {
    sequence: { sequencer: LaneSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/rig/**/*.unit.test.ts'],
          environment: 'node',
          setupFiles: ['test/support/ink-as-terminal.setup.ts'],
        },
      },
      // Lane a is the catch-all: every integration file that is not in lane b or alone.
      lane('a', ['test/**/*.test.ts'], [UNIT_IN_TEST, ...INTEGRATION_LANES.b, ...INTEGRATION_LANES.alone]),
      lane('b', INTEGRATION_LANES.b, [UNIT_IN_TEST]),
      {
        test: {
          ...integration,
          name: 'integration-alone',
          include: INTEGRATION_LANES.alone,
          sequence: { groupOrder: 2 },
          fileParallelism: false,
          maxWorkers: 1,
        },
      },
    ],
  },
});

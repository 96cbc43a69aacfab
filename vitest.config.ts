import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests beside the source, and integration tests against the real rig (Docker engine,
// registry, MariaDB). Integration files run one at a time: they share one Docker engine and its CPU.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/rig/**/*.unit.test.ts'],
          environment: 'node',
          setupFiles: ['test/support/ink-as-terminal.setup.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/rig/**/*.unit.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});

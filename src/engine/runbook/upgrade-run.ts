// What the steps of one upgrade share. Live objects (Docker, the observed snapshot, the target) are rebuilt on
// `--resume`; what must survive a crash (the plan, the backup's path, the downtime clock) lives in the journal.
import type { DockerPort, ContainerDetails } from '../docker/port.js';
import type { DbCredentials } from '../db/credentials.js';
import type { EventChannel } from '../event-channel.js';
import type { Redactor } from '../secrets.js';
import type { Verifier } from '../backup/verify.js';
import type { ObservedState } from '../plan/observed-state.js';
import type { Plan } from '../plan/plan.js';
import type { TargetState } from '../plan/reconcile.js';
import type { Journal } from './journal.js';
import type { DeploymentMigrationsPort } from './deployment-files.js';

export interface UpgradeRun {
  runId: string;
  docker: DockerPort;
  channel: EventChannel;
  redactor: Redactor;
  journal: Journal;
  signal: AbortSignal;
  observed: ObservedState;
  target: TargetState;
  plan: Plan;
  creds: DbCredentials;
  db: ContainerDetails;
  deployments: DeploymentMigrationsPort;
  /** The run's folder: `.glowworm/runs/<runId>/`. */
  workDir: string;
  /** The texts the plan showed, written by the apply step (null: that file does not change). */
  files: { compose: string | null; env: string | null };
  /** Started before the downtime so the backup can be verified without waiting for a server to initialise. */
  verifier: Promise<Verifier> | null;
  timeoutMs: number;
}

/** Journal state keys. */
export const STATE = {
  options: 'options',
  plan: 'plan',
  backup: 'backup',
  downtimeStartedAt: 'downtimeStartedAt',
  phase: 'phase',
  rollbackReason: 'rollbackReason',
  schemaBefore: 'schemaBefore',
  /** The verification checks on the running version before anything changed (verify/baseline.ts). */
  verifyBaseline: 'verifyBaseline',
  /** The byte-exact copies of the compose file and .env, taken before they were written (deployment-files.ts). */
  keptFiles: 'keptFiles',
  /** Set by the backup's undo when it restored the database. */
  databaseRestored: 'databaseRestored',
} as const;

export interface BackupState {
  file: string;
  /**
   * The id of the throwaway container the backup was verified in, while it holds that copy (an online backup's
   * catch-up needs it; a killed run's copy is gone, and a resumed run's throwaway of the same name is another one).
   */
  copy?: string;
  /** The id of the throwaway container that loaded the dump as it was taken: its verification only compares. */
  loaded?: string;
}

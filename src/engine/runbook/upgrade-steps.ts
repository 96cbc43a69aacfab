// The plan's operations as executor steps: one small builder per kind (steps/), chosen here and nowhere else. The
// decisions were made by reconcile(); a step only carries out its operation, and its undo puts back what it changed.
import type { Operation } from '../plan/operation.js';
import type { Step } from './executor.js';
import { planSteps } from './run-state.js';
import type { UpgradeRun } from './upgrade-run.js';
import { prepareStep, recreateStep, startStep } from './steps/containers.js';
import { catchUpStep } from './steps/catch-up.js';
import { backupStep, verifyBackupStep } from './steps/database.js';
import { rehearseStep } from './steps/rehearse.js';
import { recreateDatabaseStep } from './steps/database-server.js';
import { stopStep } from './steps/downtime.js';
import { applyFilesStep } from './steps/files.js';
import { commitStep, verifyStep } from './steps/finish.js';
import { waitHealthyStep, waitMigrationsStep } from './steps/waits.js';

export function upgradeSteps(run: UpgradeRun): Step[] {
  return planSteps(run.plan).map(({ op, id }) => stepFor(run, op, id));
}

function stepFor(run: UpgradeRun, op: Operation, id: string): Step {
  switch (op.kind) {
    case 'prepare': return prepareStep(run, op, id);
    case 'stop': return stopStep(run, op, id);
    case 'backup': return backupStep(run, op, id);
    case 'verify-backup': return verifyBackupStep(run, op, id);
    case 'catch-up': return catchUpStep(run, op, id);
    case 'rehearse': return rehearseStep(run, op, id);
    case 'apply-deploy-migration': return applyFilesStep(run, op, id);
    case 'recreate': return recreateStep(run, op, id);
    case 'recreate-database': return recreateDatabaseStep(run, op, id);
    case 'start': return startStep(run, op, id);
    case 'wait-healthy': return waitHealthyStep(run, op, id);
    case 'wait-migrations': return waitMigrationsStep(run, op, id);
    case 'verify': return verifyStep(run, op, id);
    case 'commit': return commitStep(run, op, id);
  }
}

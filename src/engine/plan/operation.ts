// One thing an upgrade does, as data (design.md rule 2, after docker compose's plan.go): a `kind` and the fields its
// step needs, filled in by reconcile(). The runbook builds one step per operation from these fields alone; nothing is
// parsed back out of a string. `operationTarget` is only for people (the plan text, step ids).

interface Because {
  /** Why it is in the plan, in words a user understands. */
  cause: string;
}

/** A service and the container that is (or will be) it. */
interface OnService extends Because {
  service: string;
  container: string;
}

export type Operation =
  /** Create the new containers under temporary names while the old version still serves. */
  | (Because & { kind: 'prepare'; services: string[] })
  /** Stop these app services, dependents first (the downtime starts). */
  | (Because & { kind: 'stop'; services: string[] })
  /** `online`: dumped while the old version serves (every table InnoDB); `catch-up` then copies what changed. */
  | (Because & { kind: 'backup'; database: string; online: boolean })
  | (Because & { kind: 'verify-backup'; database: string })
  /**
   * At the stop, after an online backup: the verified copy takes the changes made since (by primary-key chunk), the
   * backup file gets the same changes, and the copy is proven equal to the database by the same comparison.
   */
  | (Because & { kind: 'catch-up'; database: string })
  /**
   * `ownCopy`: before the stop, on a copy of its own restored from the online backup (the verified copy stays for the
   * catch-up); otherwise on the verified copy itself, inside the downtime.
   */
  | (Because & { kind: 'rehearse'; database: string; revisions: number; ownCopy: boolean })
  /** Write the compose file and .env as the plan showed them (deployment migrations, image tags). */
  | (Because & { kind: 'apply-deploy-migration'; changes: string[] })
  /** Swap the prepared container in under the service's name (`create`: there was none before). */
  | (OnService & { kind: 'recreate'; image: string; create: boolean })
  /**
   * Recreate the database server from the target compose file on the data it runs on (stopped cleanly first), start
   * it and wait until it accepts connections; undone by putting the old server back, running, on the same data.
   */
  | (OnService & { kind: 'recreate-database'; image: string })
  /** `writes`: the service writes the database (the backend migrates it, a worker writes to it). */
  | (OnService & { kind: 'start'; writes: boolean })
  | (OnService & { kind: 'wait-healthy' })
  | (OnService & { kind: 'wait-migrations'; pending: number })
  | (Because & { kind: 'verify'; project: string })
  | (Because & { kind: 'commit'; project: string });

export type OperationKind = Operation['kind'];

/** What the operation acts on, for people: `glowworm-backend`, `glowworm`, `files`. */
export function operationTarget(op: Operation): string {
  switch (op.kind) {
    case 'prepare':
    case 'stop':
      return op.services.join(',');
    case 'backup':
    case 'verify-backup':
    case 'catch-up':
    case 'rehearse':
      return op.database;
    case 'apply-deploy-migration':
      return 'files';
    case 'recreate':
    case 'recreate-database':
    case 'start':
    case 'wait-healthy':
    case 'wait-migrations':
      return op.service;
    case 'verify':
    case 'commit':
      return op.project;
  }
}

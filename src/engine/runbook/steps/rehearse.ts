// The new migrations run first on a copy of the database (`--rehearse`). After an online backup the rehearsal has a
// copy of its own, restored from that backup into a second throwaway server while the old version still serves: the
// verified copy must stay as it is for the catch-up at the stop, and the rehearsal adds nothing to the downtime.
// Otherwise (the backup taken with the app stopped) it migrates the verified copy itself, inside the downtime.
import { serverOf, startVerifier, type Verifier } from '../../backup/verify.js';
import { externalError } from '../../errors.js';
import { rehearseMigrations } from '../../rehearsal/rehearse.js';
import { backupAndVerifier } from './database.js';
import type { UpgradeRun } from '../upgrade-run.js';
import type { StepBuilder } from './step-builder.js';

/** A second throwaway server holding the run's backup, checked against its manifest like the verification. */
async function ownCopy(run: UpgradeRun): Promise<Verifier> {
  const { b } = await backupAndVerifier(run);
  const copy = await startVerifier({
    docker: run.docker, ...serverOf(run.db),
    project: run.observed.project.name, runId: `${run.runId}-rehearsal`, redactor: run.redactor,
  });
  try {
    const restored = await copy.verify(b.manifest, b.file);
    if (!restored.ok) throw externalError('rehearsal.copy-differs', `The copy to rehearse on does not match the backup: ${restored.mismatches.slice(0, 3).join('; ')}`);
    return copy;
  } catch (error) {
    await copy.dispose();
    throw error;
  }
}

export const rehearseStep: StepBuilder<'rehearse'> = (run, op, id) => ({
  id,
  title: op.ownCopy ? 'Rehearse the migrations on a copy while the app serves' : 'Rehearse the migrations on the restored copy',
  run: async () => {
    if (!op.ownCopy && !run.verifier) throw externalError('rehearsal.no-copy', 'There is no restored copy to rehearse on.');
    const copy = op.ownCopy ? await ownCopy(run) : await run.verifier!;
    const backend = run.observed.services[run.observed.roles.backend!]!;
    try {
      const r = await rehearseMigrations({
        docker: run.docker, emit: run.channel.emit, runId: run.runId, project: run.observed.project.name, verifier: copy,
        database: run.creds.database, image: run.target.refs[backend.name]!, ini: run.target.alembicIni,
        graph: run.target.graph, backendEnv: backend.container?.env ?? [], timeoutMs: run.timeoutMs,
      });
      return `${r.timings.length} migrations in ${(r.timings.reduce((n, t) => n + t.durationMs, 0) / 1000).toFixed(1)} s on the copy`;
    } finally {
      await copy.dispose();
    }
  },
});

// Plain lines for a terminal-less run (CI, cron, `| tee`): the same events as the TUI, as text a person can read
// in a log file. Progress is throttled: a pull's bytes and backup bytes every few seconds, one line per image pulled.
import { assertNever, wasUpToDate, type EngineEvent } from '../engine/events.js';
import { alreadyFailingSentence, checkLabel, checkLine } from '../engine/verify/baseline.js';
import { checkKey } from '../engine/verify/check-result.js';
import { Output } from './output.js';
// The screens' numbers too: durations and sizes read the same in a log file as on the terminal.
import { formatBytes, formatDuration } from '../ui/state/format.js';
// The screens' pull arithmetic (a pure reducer, no ink): the plain line and the TUI's total line add up the same way.
import { applyPullCompleted, applyPullProgress, pullTotals, type PullView } from '../ui/state/pull-progress.js';

/** How often a long pull or backup says how far it got: often enough to show it moves, rarely enough for a log. */
export const PROGRESS_EVERY_MS = 5000;


export class PlainFormatter {
  private lastBackupLine = 0;
  private pulls: PullView[] = [];
  /** When the last pull line was printed; null before the first pull event (nothing worth a line yet). */
  private lastPullLine: number | null = null;
  /** Checks failing now just as before the upgrade, by key (a later check of the same key replaces it): the run's
   *  last line names them, so a log's reader learns what the upgrade did not fix and did not cause. */
  private readonly alreadyFailing = new Map<string, string>();
  /** An upgrade closes with `upgrade.failed` (message, state and hint): the run-level notice that only repeats a
   *  failed step's error, hint included, is then left out, so the hint (a list of tags, say) is printed once. */
  private upgrade = false;
  private stepError: string | null = null;
  /** Steps by id, as `step.started` named them: the lines name a step by its title, never by its internal id. */
  private readonly titles = new Map<string, string>();

  /** The line(s) for an event, or null when it prints nothing. */
  format(event: EngineEvent): string | null {
    switch (event.type) {
      case 'run.started':
        this.upgrade = event.command === 'upgrade';
        return `glowworm ${event.command} (${event.projectDir})${event.resumed ? ', resuming' : ''}`;
      case 'step.started':
        this.titles.set(event.step, event.title);
        return `▶ ${event.title}`;
      case 'step.completed':
        return `✔ ${this.title(event.step)} (${formatDuration(event.durationMs)})${event.summary ? `: ${event.summary}` : ''}`;
      case 'step.skipped':
        return `- ${event.title}: skipped, ${event.reason}`;
      case 'step.failed':
        this.stepError = event.error.hint ? `${event.error.message}\n${event.error.hint}` : event.error.message;
        return `✘ ${this.title(event.step)} failed: ${event.error.message}`;
      case 'notice':
        if (this.upgrade && event.level === 'error' && event.message === this.stepError) return null;
        return `${event.level === 'error' ? '✘' : event.level === 'warn' ? '!' : 'i'} ${event.message}`;
      case 'plan.ready':
        // The stable plan text names each deployment change; the person confirming also reads what it edits.
        return [event.text, ...event.plan.deployChanges.filter((c) => c.diff).map((c) => `Deployment change ${c.name}:\n${c.diff.trimEnd()}`)].join('\n');
      case 'pull.progress':
        this.pulls = applyPullProgress(this.pulls, event);
        return this.pullLine(event.image, event.ts);
      case 'pull.completed':
        this.pulls = applyPullCompleted(this.pulls, event);
        return `  pulled ${event.image}${event.digest ? ` (${event.digest.slice(0, 19)})` : ''}`;
      case 'backup.progress': {
        if (event.ts - this.lastBackupLine < PROGRESS_EVERY_MS) return null;
        this.lastBackupLine = event.ts;
        const left = event.total ? ` of ~${formatBytes(event.total)}${event.etaSeconds ? `, ~${formatDuration(event.etaSeconds * 1000)} left` : ''}` : '';
        return `  dumped ${formatBytes(event.bytes)}${left}`;
      }
      case 'backup.completed':
        return `  backup ${event.path}: ${formatBytes(event.bytes)} gzip, ${event.tables} tables, ${event.rows} rows, sha256 ${event.sha256.slice(0, 12)}…`;
      case 'backup.verified':
        return `  backup ${event.checksumsMatch ? 'verified' : 'FAILED verification'}: restored into a throwaway database, ${event.tables} tables compared`;
      case 'container.state':
        return `  ${event.container}: ${event.state}${event.health ? ` (${event.health})` : ''}${event.restartCount ? `, restarts ${event.restartCount}` : ''}`;
      case 'log.line':
        return `  ${event.level === 'error' ? '✘ ' : event.level === 'warn' ? '! ' : ''}${event.service} | ${event.text}`;
      case 'migration.applied':
        return `  ✔ migration ${event.revision}${event.message ? `: ${event.message}` : ''}`;
      case 'migration.failed':
        return `  ✘ migration ${event.revision ?? '(unknown revision)'} failed: ${event.message}`;
      case 'deploy-migration.applied':
        return `  ${event.direction === 'up' ? 'applied' : 'reverted'} deployment migration ${event.name}`;
      case 'schema.half-applied':
        return [
          `! ${event.revision}${event.message ? ` (${event.message})` : ''} is half applied: ${event.present.join(', ') || 'nothing'} created` +
            (event.preexisting.length ? `; there before it ran: ${event.preexisting.join(', ')}` : '') +
            (event.absent.length ? `; not yet: ${event.absent.join(', ')}` : ''),
          ...event.options.map((o) => `    - ${o}`),
        ].join('\n');
      case 'verify.check':
        if (event.baseline === 'failed-same') this.alreadyFailing.set(checkKey(event), checkLabel(event));
        else this.alreadyFailing.delete(checkKey(event));
        return `  ${event.passed ? '✔' : event.ok ? '!' : '✘'} ${checkLine(event)}`;
      case 'rehearsal.migration':
        return `  ${event.ok ? '✔' : '✘'} rehearsal ${event.revision}${event.message ? `: ${event.message}` : ''} (${formatDuration(event.durationMs)})`;
      case 'rehearsal.completed':
        return event.ok
          ? `  rehearsal passed in ${formatDuration(event.durationMs)}: the migrations work on a copy of your data`
          : `  rehearsal FAILED${event.failedRevision ? ` in ${event.failedRevision}` : ''}: ${event.error ?? 'unknown error'}`;
      case 'rollback.started':
        return `↺ Rolling back: ${event.reason}`;
      case 'rollback.completed':
        return `↺ Rollback ${event.ok ? 'completed' : 'INCOMPLETE'}${event.restoredDatabase ? ' (database restored from the backup)' : ''}`;
      case 'upgrade.completed':
        if (wasUpToDate(event)) return `Nothing to do: already on ${event.toVersion}.`;
        return `Upgraded ${event.fromVersion ?? '?'} → ${event.toVersion} in ${formatDuration(event.durationMs)} (app down ${formatDuration(event.downtimeMs)}).${event.backupPath ? ` Backup: ${event.backupPath}` : ''}${this.alreadyFailingLine()}`;
      case 'upgrade.failed':
        return `Upgrade failed: ${event.error.message}\n${event.state}${this.alreadyFailingLine()}${event.error.hint ? `\nNext: ${event.error.hint}` : ''}`;
      case 'run.finished':
        return null;
      default:
        return assertNever(event);
    }
  }

  /** A step's id only when no `step.started` named it (an engine bug): the lines must still say something. */
  private title(step: string): string {
    return this.titles.get(step) ?? step;
  }

  /** `pulling IMAGE: 40 MB of 160 MB (25%), 1/3 layers`, at most once every PROGRESS_EVERY_MS. */
  private pullLine(image: string, ts: number): string | null {
    if (this.lastPullLine === null) this.lastPullLine = ts;
    if (ts - this.lastPullLine < PROGRESS_EVERY_MS) return null;
    this.lastPullLine = ts;
    const pull = this.pulls.find((p) => p.image === image);
    const t = pullTotals(pull ? [pull] : []);
    const bytes = t.total > 0 ? `${formatBytes(t.current)} of ${formatBytes(t.total)} (${Math.floor((t.current / t.total) * 100)}%), ` : '';
    return `  pulling ${image}: ${bytes}${t.layersDone}/${t.layers} layers`;
  }

  private alreadyFailingLine(): string {
    return this.alreadyFailing.size ? `\n${alreadyFailingSentence([...this.alreadyFailing.values()])}` : '';
  }
}

/** Every event is consumed even once nobody reads the lines any more (output.ts): the run goes on to its end. */
/** `written` hears of each event once its line (if any) is written, so a prompt can wait for what it asks about. */
export async function writePlain(events: AsyncIterable<EngineEvent>, out: NodeJS.WritableStream = process.stdout, written?: (event: EngineEvent) => void): Promise<void> {
  const f = new PlainFormatter();
  const output = new Output(out);
  for await (const event of events) {
    const line = f.format(event);
    if (line !== null) await output.write(line + '\n');
    written?.(event);
  }
}

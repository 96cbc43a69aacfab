// Checks judged relative to before. Real GlowWorm releases ship checks that fail before any upgrade (the late-October
// release's GET /api/settings answers 500); holding the upgrade to them rolls back a good upgrade, and then fails the
// rollback too. So the same checks run on the running version first (the baseline, kept in the journal), and a check
// that fails now exactly as it failed then does not fail the run; one that fails differently, or newly, does.
import type { BaselineVerdict } from './check-result.js';
import { checkKey, type CheckResult } from './check-result.js';

export interface BaselineEntry {
  passed: boolean;
  failure: string | null;
  detail: string;
}

/** Each check's result on the version that ran before the upgrade, by `checkKey`. */
export type VerifyBaseline = Record<string, BaselineEntry>;

export interface JudgedCheck extends CheckResult {
  /** Does not fail the run: passed, or failing exactly as before. */
  ok: boolean;
  baseline: BaselineVerdict;
  baselineDetail: string | null;
}

export function baselineOf(results: readonly CheckResult[]): VerifyBaseline {
  return Object.fromEntries(results.map((r) => [checkKey(r), { passed: r.passed, failure: r.failure, detail: r.detail }]));
}

/** A check against its baseline; without one (none recorded, or not for this check) it must simply pass. */
export function judgeCheck(result: CheckResult, baseline: VerifyBaseline | null | undefined): JudgedCheck {
  const before = baseline?.[checkKey(result)];
  if (!before) return { ...result, ok: result.passed, baseline: 'not-recorded', baselineDetail: null };
  if (before.passed) return { ...result, ok: result.passed, baseline: 'passed', baselineDetail: null };
  const verdict: BaselineVerdict = result.passed ? 'fixed' : result.failure === before.failure ? 'failed-same' : 'failed-differently';
  return { ...result, ok: verdict !== 'failed-differently', baseline: verdict, baselineDetail: before.detail };
}

type Shown = Pick<JudgedCheck, 'check' | 'container' | 'passed' | 'baseline' | 'baselineDetail'>;

/** `settings-api`, `container-health glowworm-backend`. */
export function checkLabel(c: Pick<CheckResult, 'check' | 'container'>): string {
  return c.container === null ? c.check : `${c.check} ${c.container}`;
}

/** What the baseline says about a check, in words for a person; null when there is nothing to add. */
export function baselineNote(c: Shown): string | null {
  switch (c.baseline) {
    case 'failed-same':
      return 'already failing before the upgrade';
    case 'failed-differently':
      return `failing before the upgrade too, but differently; before: ${c.baselineDetail ?? '?'}`;
    case 'fixed':
      return 'fixed: failing before the upgrade';
    case 'passed':
      return c.passed ? null : 'passed before the upgrade';
    case 'not-recorded':
      return null;
  }
}

/** One check as a line of text (the mark is the writer's): `settings-api (already failing before the upgrade): …`. */
export function checkLine(c: Shown & { detail: string }): string {
  const note = baselineNote(c);
  return `${checkLabel(c)}${note ? ` (${note})` : ''}: ${c.detail}`;
}

/** The labels of the checks that fail now just as before the upgrade (they did not fail the run). */
export function alreadyFailing(checks: readonly Shown[]): string[] {
  return checks.filter((c) => c.baseline === 'failed-same').map(checkLabel);
}

const ALREADY_FAILING = 'already failing before the upgrade (not caused by it)';

/** The sentence that names them, for the end of a run (a notice, the plain writer's last line). */
export function alreadyFailingSentence(labels: readonly string[]): string {
  return `Already failing before the upgrade, and failing the same way now (not caused by it): ${labels.join(', ')}.`;
}

/** The verify step's summary: how many passed, and which were failing before and still are, or were and are fixed. */
export function verifySummary(checks: readonly Shown[]): string {
  const passed = checks.filter((c) => c.passed).length;
  const parts = [passed === checks.length ? `all ${checks.length} checks passed` : `${passed} of ${checks.length} checks passed`];
  const same = alreadyFailing(checks);
  if (same.length) parts.push(`${ALREADY_FAILING}: ${same.join(', ')}`);
  const fixed = checks.filter((c) => c.baseline === 'fixed').map(checkLabel);
  if (fixed.length) parts.push(`passing now, failing before the upgrade: ${fixed.join(', ')}`);
  return parts.join('; ');
}

// What a step module exports: a function from the run and one typed operation to an executor step.
import type { Operation, OperationKind } from '../../plan/operation.js';
import type { Step } from '../executor.js';
import type { UpgradeRun } from '../upgrade-run.js';

export type OperationOf<K extends OperationKind> = Extract<Operation, { kind: K }>;
export type StepBuilder<K extends OperationKind> = (run: UpgradeRun, op: OperationOf<K>, id: string) => Step;

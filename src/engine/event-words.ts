// Words of the event stream that the journal and the log parsers use as well: kept at the ground floor, so those
// modules do not reach up to the whole event union for them.

export type CommandName = 'upgrade' | 'status' | 'backup' | 'restore' | 'doctor' | 'reset' | 'rehearse' | 'migrate' | 'recover';

export type LogLevel = 'info' | 'warn' | 'error';

/** `1 table`, `3 tables`: a count and its noun, for summaries a person reads. */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

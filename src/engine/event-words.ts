// Words of the event stream that the journal and the log parsers use as well: kept at the ground floor, so those
// modules do not reach up to the whole event union for them.

export type CommandName = 'upgrade' | 'status' | 'backup' | 'restore' | 'doctor' | 'reset' | 'rehearse' | 'migrate' | 'recover';

export type LogLevel = 'info' | 'warn' | 'error';

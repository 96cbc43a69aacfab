// Checking a backup file section by section (dump-sections.ts): while the whole file is read, each section's SQL
// against the sha256 the dump recorded for it; and when the file is damaged, each section read alone, so the user
// learns which tables the damage took (a file cut short at 90 % has lost one table, not the backup's every byte).
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { DumpSection } from './dump-sections.js';

/** `table images`, `the settings before the first table`: a section as a user reads it. */
export function sectionLabel(s: Pick<DumpSection, 'kind' | 'name'>): string {
  switch (s.kind) {
    case 'table': return `table ${s.name}`;
    case 'head': return 'the settings before the first table';
    case 'tail': return 'the events, routines and views after the last table';
    case 'catch-up': return 'the changes appended at the stop';
  }
}

/** What is wrong with the sections' layout in a file of `fileBytes` holding `sqlBytes` of SQL; null when nothing. */
export function layoutProblem(sections: readonly DumpSection[], fileBytes: number, sqlBytes: number): string | null {
  let offset = 0;
  for (const s of sections) {
    if (s.offset !== offset) return `its manifest's sections do not follow one another (${sectionLabel(s)} at ${s.offset}, expected ${offset})`;
    offset += s.bytes;
  }
  if (offset !== fileBytes) return `its manifest's sections cover ${offset} bytes of a ${fileBytes}-byte file`;
  const sql = sections.reduce((n, s) => n + s.sqlBytes, 0);
  if (sql !== sqlBytes) return `its manifest's sections hold ${sql} bytes of SQL, the dump ${sqlBytes}`;
  return null;
}

/** Given the file's SQL in order, hashes each section's part; `mismatched()` names those that differ from the record. */
export class SectionHashes {
  private index = 0;
  private left: number;
  private hash: Hash = createHash('sha256');
  private readonly wrong: DumpSection[] = [];

  constructor(private readonly sections: readonly DumpSection[]) {
    this.left = sections[0]?.sqlBytes ?? 0;
  }

  update(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && this.index < this.sections.length) {
      const take = Math.min(this.left, chunk.length - at);
      this.hash.update(chunk.subarray(at, at + take));
      at += take;
      this.left -= take;
      if (this.left === 0) this.next();
    }
  }

  /** The sections whose SQL was not as recorded (call once the whole file has been given). */
  mismatched(): DumpSection[] {
    while (this.index < this.sections.length) this.next();
    return this.wrong;
  }

  private next(): void {
    const s = this.sections[this.index]!;
    if (this.hash.digest('hex') !== s.sha256 || this.left !== 0) this.wrong.push(s);
    this.index++;
    this.hash = createHash('sha256');
    this.left = this.sections[this.index]?.sqlBytes ?? 0;
  }
}

/** Whether one section, read alone from its place in the file, gunzips to the SQL recorded for it. */
async function sectionIntact(file: string, s: DumpSection): Promise<boolean> {
  if (s.bytes === 0) return s.sqlBytes === 0;
  const hash = createHash('sha256');
  let bytes = 0;
  const sink = new Writable({ write(chunk: Buffer, _e, done) { hash.update(chunk); bytes += chunk.length; done(); } });
  try {
    await pipeline(createReadStream(file, { start: s.offset, end: s.offset + s.bytes - 1 }), createGunzip(), sink);
  } catch {
    return false;
  }
  return bytes === s.sqlBytes && hash.digest('hex') === s.sha256;
}

/** The sections of a damaged file that no longer read as recorded, each read on its own. */
export async function damagedSections(file: string, sections: readonly DumpSection[]): Promise<DumpSection[]> {
  const out: DumpSection[] = [];
  for (const s of sections) if (!(await sectionIntact(file, s))) out.push(s);
  return out;
}

/** `table images and table users (2 of 9 sections)`. */
export function describeSections(some: readonly DumpSection[], of: number): string {
  const names = some.map(sectionLabel);
  const list = names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  return `${list} (${some.length} of ${of} sections)`;
}

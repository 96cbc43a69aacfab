import { describe, expect, it } from 'vitest';
import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BoundedText, DockerDemux } from './demux.js';
import { LineSplitter } from './lines.js';

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

async function demux(chunks: Buffer[]): Promise<{ out: string; err: string }> {
  const err: Buffer[] = [];
  const out: Buffer[] = [];
  const source = new PassThrough();
  const done = pipeline(
    source,
    new DockerDemux((c) => err.push(c)),
    new Writable({ write: (c, _e, cb) => (out.push(c), cb()) }),
  );
  for (const c of chunks) source.write(c);
  source.end();
  await done;
  return { out: Buffer.concat(out).toString(), err: Buffer.concat(err).toString() };
}

describe('DockerDemux', () => {
  it('separates stdout and stderr frames', async () => {
    const r = await demux([Buffer.concat([frame(1, 'hello '), frame(2, 'warn'), frame(1, 'world')])]);
    expect(r).toEqual({ out: 'hello world', err: 'warn' });
  });

  it('handles headers and payloads split across chunks at every byte', async () => {
    const all = Buffer.concat([frame(1, 'abc'), frame(2, 'E'), frame(1, 'defgh')]);
    for (let cut = 1; cut < all.length; cut++) {
      const r = await demux([all.subarray(0, cut), all.subarray(cut)]);
      expect(r).toEqual({ out: 'abcdefgh', err: 'E' });
    }
  });

  it('rejects a stream that is not multiplexed', async () => {
    await expect(demux([Buffer.from('plain text output, not framed')])).rejects.toThrow(/not multiplexed/);
  });
});

describe('BoundedText', () => {
  it('keeps the end when over its limit', () => {
    const t = new BoundedText(10);
    t.add(Buffer.from('0123456789'));
    t.add(Buffer.from('abcdef'));
    expect(t.toString()).toBe('6789abcdef'.slice(-10));
  });
});

describe('LineSplitter', () => {
  it('splits across chunks, strips CR, flushes the last partial line', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    s.push('one\r\ntw');
    s.push('o\nthree');
    s.flush();
    expect(lines).toEqual(['one', 'two', 'three']);
  });

  it('cuts a line longer than the bound', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l), 5);
    s.push('abcdefghij');
    expect(lines).toEqual(['abcdefghij'.slice(0, 5)]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { importAsTerminal } from './import-as-terminal.js';

describe('importAsTerminal', () => {
  const before = { CI: process.env['CI'], CONTINUOUS_INTEGRATION: process.env['CONTINUOUS_INTEGRATION'] };
  afterEach(() => {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('hides CI and CONTINUOUS_INTEGRATION while loading, and puts them back afterwards', async () => {
    process.env['CI'] = 'true';
    process.env['CONTINUOUS_INTEGRATION'] = '1';
    const seen = await importAsTerminal(async () => [process.env['CI'], process.env['CONTINUOUS_INTEGRATION']]);
    expect(seen).toEqual([undefined, undefined]);
    expect(process.env['CI']).toBe('true');
    expect(process.env['CONTINUOUS_INTEGRATION']).toBe('1');
  });

  it('puts them back when loading fails, and leaves unset variables unset', async () => {
    process.env['CI'] = 'true';
    delete process.env['CONTINUOUS_INTEGRATION'];
    await expect(importAsTerminal(async () => Promise.reject(new Error('no ink')))).rejects.toThrow('no ink');
    expect(process.env['CI']).toBe('true');
    expect('CONTINUOUS_INTEGRATION' in process.env).toBe(false);
  });
});

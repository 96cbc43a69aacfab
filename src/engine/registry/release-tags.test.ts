import { describe, expect, it } from 'vitest';
import { editDistance, nearestTags, newerReleases } from './release-tags.js';

const RIG = ['1.0.0', '1.1.0', '1.2.0-broken', '2.0.0', 'latest'];

describe('newerReleases', () => {
  it('orders as versions, newest first, leaving prereleases out unless asked', () => {
    expect(newerReleases([...RIG, '10.0.0', '1.10.0'], '1.0.0')).toEqual(['10.0.0', '2.0.0', '1.10.0', '1.1.0']);
    expect(newerReleases(RIG, '1.1.0', { prereleases: true })).toEqual(['2.0.0', '1.2.0-broken']);
  });
  it('keeps only what the filter matches', () => {
    expect(newerReleases(RIG, '1.1.0', { pattern: /^1\./, prereleases: true })).toEqual(['1.2.0-broken']);
  });
  it('has nothing newer than a tag that is not a version (latest, test)', () => {
    expect(newerReleases(RIG, 'latest')).toEqual([]);
    expect(newerReleases(RIG, null)).toEqual([]);
  });
});

describe('nearestTags', () => {
  it('puts the same version spelled otherwise first', () => {
    expect(nearestTags(RIG, 'v1.1.0')[0]).toBe('1.1.0');
  });
  it('orders versions by how far they are from the one asked for', () => {
    expect(nearestTags(RIG, '9.9.9', 3)).toEqual(['2.0.0', '1.2.0-broken', '1.1.0']);
    expect(nearestTags(RIG, '1.1.1', 2)).toEqual(['1.1.0', '1.0.0']);
  });
  it('falls back to spelling for tags that are not versions', () => {
    expect(nearestTags(['latest', 'test', '1.0.0'], 'tset', 1)).toEqual(['test']);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { mergedService, web } from './helpers.js';

describe('merging logging', () => {
  it('merges options when both files use the same driver or one names none', () => {
    const same = mergedService(web('image: a\nlogging: {driver: json-file, options: {max-size: 10m}}'), web('logging: {options: {max-file: "3"}}'));
    expect(same.logging).toEqual({ driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });
  });

  it('replaces the whole section when the driver changes', () => {
    const other = mergedService(web('image: a\nlogging: {driver: json-file, options: {max-size: 10m}}'), web('logging: {driver: syslog, options: {tag: web}}'));
    expect(other.logging).toEqual({ driver: 'syslog', options: { tag: 'web' } });
  });
});

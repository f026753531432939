import { describe, expect, it } from 'vitest';
import { canonicalService, thrownBy } from './helpers.js';

const ulimits = (value: string): unknown => canonicalService(`services:\n  web:\n    image: x\n    ulimits: ${value}\n`).ulimits;

describe('canonical ulimits', () => {
  it('keeps one number for both limits as a number, as Compose prints it', () => {
    expect(ulimits('{nproc: 65535, core: "0"}')).toEqual({ nproc: 65535, core: 0 });
  });

  it('keeps soft and hard, as numbers', () => {
    expect(ulimits('{nofile: {soft: "20000", hard: 40000}}')).toEqual({ nofile: { soft: 20000, hard: 40000 } });
  });

  it('rejects a limit that is not a number', () => {
    const err = thrownBy(() => ulimits('{nofile: {soft: lots, hard: 1}}'));
    expect(err.path).toBe('services.web.ulimits.nofile.soft');
    expect(err.message).toContain('"lots"');
  });
});

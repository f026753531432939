import { describe, expect, it } from 'vitest';
import { binarySize, humanSize, percent } from '../../../../src/cli/render/sizes.js';

describe('sizes', () => {
  it('prints decimal sizes with three significant digits by default, as Docker prints image sizes', () => {
    expect(humanSize(0)).toBe('0B');
    expect(humanSize(999)).toBe('999B');
    expect(humanSize(4_261_000)).toBe('4.26MB');
    expect(humanSize(1_000_000)).toBe('1MB');
    expect(humanSize(5e15)).toBe('5000TB');
  });

  it('prints four significant digits when asked, as Docker prints reclaimed space', () => {
    expect(humanSize(12_345, 4)).toBe('12.35kB');
    expect(humanSize(1_234_567, 4)).toBe('1.235MB');
    expect(humanSize(512, 4)).toBe('512B');
  });

  it('prints binary sizes with four significant digits, as docker stats prints memory', () => {
    expect(binarySize(1536)).toBe('1.5KiB');
    expect(binarySize(1_597_000)).toBe('1.523MiB');
    expect(binarySize(1023)).toBe('1023B');
  });

  it('prints percentages with two decimals, and 0 for what is not a number', () => {
    expect(percent(12.345)).toBe('12.35%');
    expect(percent(Number.NaN)).toBe('0.00%');
  });
});

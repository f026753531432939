import { describe, expect, it } from 'vitest';
import { defineKey } from '../../../src/compose/define-key.js';

describe('defineKey', () => {
  it('sets an ordinary key like an assignment', () => {
    const target: Record<string, unknown> = {};
    defineKey(target, 'a', 1);
    defineKey(target, 'a', 2);
    expect(target).toEqual({ a: 2 });
    expect(JSON.stringify(target)).toBe('{"a":2}');
  });

  it('makes __proto__ an own key without changing the prototype', () => {
    const target: Record<string, unknown> = {};
    defineKey(target, '__proto__', { polluted: true });
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(Object.keys(target)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

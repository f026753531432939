import { describe, expect, it } from 'vitest';
import { blockScalarValue, doubleQuotedValue, typePlain, unfoldLines } from '../../../src/compose/yaml-scalars.js';

describe('typePlain', () => {
  it.each([
    ['', null], ['~', null], ['null', null], ['Null', null], ['NULL', null], ['nULL', 'nULL'],
    ['true', true], ['True', true], ['FALSE', false], ['yes', 'yes'], ['on', 'on'], ['tRUE', 'tRUE'],
    ['0', 0], ['-0', -0], ['+12', 12], ['0755', 0o755], ['-017', -15], ['089', 89], ['0o17', 15], ['0x1F', 31], ['0X1F', '0X1F'], ['1_000', '1_000'],
    ['1.5', 1.5], ['.5', 0.5], ['1.', 1], ['-.5', -0.5], ['1e3', 1000], ['1.5E-2', 0.015], ['.inf', Infinity], ['-.Inf', -Infinity],
    ['80:80', '80:80'], ['12:30:00', '12:30:00'], ['2024-01-01', '2024-01-01'], ['nginx', 'nginx'], ['-x', '-x'],
  ])('types %j as %j', (text, expected) => {
    expect(Object.is(typePlain(text), expected) || typePlain(text) === expected).toBe(true);
  });

  it('types .nan as NaN', () => {
    expect(typePlain('.nan')).toBeNaN();
    expect(typePlain('.NaN')).toBeNaN();
  });
});

describe('unfoldLines', () => {
  it('folds line breaks to spaces, and empty lines to line breaks', () => {
    expect(unfoldLines('one')).toBe('one');
    expect(unfoldLines('one  \n   two')).toBe('one two');
    expect(unfoldLines('one\n\ntwo\n  \n\nthree')).toBe('one\ntwo\n\nthree');
  });
});

describe('doubleQuotedValue', () => {
  it('unescapes every escape YAML defines', () => {
    expect(doubleQuotedValue('\\0\\a\\b\\t\\n\\v\\f\\r\\e\\ \\"\\/\\\\\\N\\_\\L\\P')).toBe('\0\x07\b\t\n\v\f\r\x1b "/\\\u0085\u00a0\u2028\u2029');
    expect(doubleQuotedValue('\\x41\\u00e9\\U0001F600')).toBe('Aé😀');
  });

  it('folds lines, keeping escaped blanks and joining escaped line breaks', () => {
    expect(doubleQuotedValue('a \n  b')).toBe('a b');
    expect(doubleQuotedValue('a\\ \n\n  b')).toBe('a \nb');
    expect(doubleQuotedValue('a\\\n   b')).toBe('ab');
  });

  it('refuses escapes YAML does not define', () => {
    expect(doubleQuotedValue('\\q')).toBeUndefined();
    expect(doubleQuotedValue('\\x4')).toBeUndefined();
    expect(doubleQuotedValue('\\U00110000')).toBeUndefined();
  });
});

describe('blockScalarValue', () => {
  const lines = (...l: Array<[number, string]>) => l;

  it('keeps the lines of a literal block, clipped or stripped', () => {
    const body = lines([2, 'a'], [0, ''], [4, 'b']);
    expect(blockScalarValue(body, 2, false, false)).toBe('a\n\n  b\n');
    expect(blockScalarValue(body, 2, false, true)).toBe('a\n\n  b');
  });

  it('folds a folded block, except around more-indented lines', () => {
    expect(blockScalarValue(lines([2, 'a'], [2, 'b'], [0, ''], [2, 'c']), 2, true, false)).toBe('a b\nc\n');
    expect(blockScalarValue(lines([2, 'a'], [4, 'b'], [2, 'c']), 2, true, false)).toBe('a\n  b\nc\n');
  });

  it('keeps empty lines before the first line with content, and is empty without content', () => {
    expect(blockScalarValue(lines([0, ''], [2, 'a']), 2, false, false)).toBe('\na\n');
    expect(blockScalarValue([], -1, false, false)).toBe('');
  });
});

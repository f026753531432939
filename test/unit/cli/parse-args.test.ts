import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from 'commander';
import { collectScale, environmentEntries, labelEntries, parseCopyOperand, parseSeconds, splitWords } from '../../../src/cli/parse-args.js';

describe('command-line argument parsers', () => {
  it('-t takes whole seconds and refuses anything else as a usage error', () => {
    expect(parseSeconds('0')).toBe(0);
    expect(parseSeconds('15')).toBe(15);
    for (const bad of ['-1', '1.5', 'ten', '']) expect(() => parseSeconds(bad)).toThrow(InvalidArgumentError);
  });

  it('--scale collects SERVICE=N pairs, the last one for a service winning', () => {
    expect(collectScale('db=2', collectScale('web=3'))).toEqual({ web: 3, db: 2 });
    expect(collectScale('web=1', { web: 3 })).toEqual({ web: 1 });
    for (const bad of ['web', 'web=', '=2', 'web=-1', 'web=two']) expect(() => collectScale(bad)).toThrow('is not SERVICE=NUMBER');
  });

  it('-e takes KEY=VALUE, or KEY from the environment (left out when unset there)', () => {
    const env: Record<string, string> = { HOME: '/root' };
    expect(environmentEntries(['A=1', 'B=', 'C=x=y', 'HOME', 'UNSET'], (k) => env[k])).toEqual({ A: '1', B: '', C: 'x=y', HOME: '/root' });
    expect(() => environmentEntries(['=v'], () => undefined)).toThrow(InvalidArgumentError);
  });

  it('-l needs KEY=VALUE', () => {
    expect(labelEntries(['a=b', 'c=']) ).toEqual({ a: 'b', c: '' });
    expect(() => labelEntries(['novalue'])).toThrow('is not KEY=VALUE');
  });

  it('cp operands: SERVICE:PATH, or a local path (a colon after a slash stays local)', () => {
    expect(parseCopyOperand('web:/etc/hosts')).toEqual({ service: 'web', path: '/etc/hosts' });
    expect(parseCopyOperand('./a:b')).toEqual({ local: './a:b' });
    expect(parseCopyOperand('/tmp/x')).toEqual({ local: '/tmp/x' });
    expect(parseCopyOperand(':x')).toEqual({ local: ':x' });
  });

  it('--entrypoint is split into words as a shell would', () => {
    expect(splitWords('sh -c')).toEqual(['sh', '-c']);
    expect(splitWords(`sh -c 'echo "hi there"'`)).toEqual(['sh', '-c', 'echo "hi there"']);
    expect(splitWords('a\\ b "c\\"d" \'\' e')).toEqual(['a b', 'c"d', '', 'e']);
    expect(() => splitWords('"open')).toThrow('unterminated');
  });
});

import { describe, expect, it } from 'vitest';
import { lookupOf, resolveVariables } from '../../../src/compose/environment.js';
import type { Warning } from '../../../src/compose/types.js';
import { failure as errorOf } from '../../support/compose.js';

function files(contents: Record<string, string>): (path: string) => string | undefined {
  return (path) => (Object.hasOwn(contents, path) ? contents[path] : undefined);
}


describe('resolveVariables', () => {
  it('reads .env in the project dir', () => {
    const result = resolveVariables({ osEnv: {}, projectDir: '/p', readFile: files({ '/p/.env': 'A=1\nB=2\n' }) });
    expect(result).toEqual({ variables: { A: '1', B: '2' }, files: ['/p/.env'] });
  });

  it('is fine without a .env', () => {
    expect(resolveVariables({ osEnv: { X: 'x' }, projectDir: '/p', readFile: files({}) })).toEqual({ variables: { X: 'x' }, files: [] });
  });

  it('lets the OS environment win over the files', () => {
    const result = resolveVariables({ osEnv: { A: 'os' }, projectDir: '/p', readFile: files({ '/p/.env': 'A=file\nB=file\n' }) });
    expect(result.variables).toEqual({ A: 'os', B: 'file' });
  });

  it('lets values use earlier keys and the OS environment', () => {
    const result = resolveVariables({
      osEnv: { HOME: '/home/me' },
      projectDir: '/p',
      readFile: files({ '/p/.env': 'BASE=/srv\nDATA=${BASE}/data\nCACHE=$HOME/.cache\n' }),
    });
    expect(result.variables).toMatchObject({ DATA: '/srv/data', CACHE: '/home/me/.cache' });
  });

  it('fills a bare key from the OS environment', () => {
    const result = resolveVariables({ osEnv: { TOKEN: 't' }, projectDir: '/p', readFile: files({ '/p/.env': 'TOKEN\nGONE\n' }) });
    expect(result.variables).toEqual({ TOKEN: 't' });
  });

  describe('--env-file', () => {
    const fs = files({
      '/p/.env': 'FROM_DOTENV=yes\n',
      '/p/one.env': 'A=1\nB=1\n',
      '/p/two.env': 'B=2\nC=${A}-${B}\n',
      '/elsewhere/abs.env': 'ABS=1\n',
      '/cwd/rel.env': 'REL=1\n',
    });

    it('replaces the default .env', () => {
      const result = resolveVariables({ osEnv: {}, projectDir: '/p', envFiles: ['/p/one.env'], readFile: fs });
      expect(result).toEqual({ variables: { A: '1', B: '1' }, files: ['/p/one.env'] });
    });

    it('is repeatable, later files win and see earlier ones', () => {
      const result = resolveVariables({ osEnv: {}, projectDir: '/p', envFiles: ['/p/one.env', '/p/two.env'], readFile: fs });
      expect(result.variables).toEqual({ A: '1', B: '2', C: '1-1' });
      expect(result.files).toEqual(['/p/one.env', '/p/two.env']);
    });

    it('resolves relative paths against the working dir, else the project dir', () => {
      expect(resolveVariables({ osEnv: {}, projectDir: '/p', workingDir: '/cwd', envFiles: ['rel.env'], readFile: fs }).files).toEqual(['/cwd/rel.env']);
      expect(resolveVariables({ osEnv: {}, projectDir: '/p', envFiles: ['one.env'], readFile: fs }).files).toEqual(['/p/one.env']);
      expect(resolveVariables({ osEnv: {}, projectDir: '/p', envFiles: ['../elsewhere/abs.env'], readFile: fs }).variables).toEqual({ ABS: '1' });
    });

    it('fails when an explicit file is missing', () => {
      const err = errorOf(() => resolveVariables({ osEnv: {}, projectDir: '/p', envFiles: ['/p/one.env', '/p/nope.env'], readFile: fs }));
      expect(err.code).toBe('COMPOSE_ENV_FILE');
      expect(err.message).toContain('/p/nope.env');
      expect(err.hint).toBeDefined();
    });

    it('an empty list means the default .env', () => {
      expect(resolveVariables({ osEnv: {}, projectDir: '/p', envFiles: [], readFile: fs }).variables).toEqual({ FROM_DOTENV: 'yes' });
    });

    it('the OS environment still wins', () => {
      const result = resolveVariables({ osEnv: { B: 'os' }, projectDir: '/p', envFiles: ['/p/one.env', '/p/two.env'], readFile: fs });
      expect(result.variables).toEqual({ A: '1', B: 'os', C: '1-os' });
    });
  });

  it('passes parse errors through with the file named', () => {
    const err = errorOf(() => resolveVariables({ osEnv: {}, projectDir: '/p', readFile: files({ '/p/.env': 'BAD KEY\n' }) }));
    expect(err.code).toBe('COMPOSE_ENV_FILE');
    expect(err.location).toEqual({ file: '/p/.env', line: 1 });
  });

  it('forwards warnings about unset variables', () => {
    const warnings: Warning[] = [];
    resolveVariables({ osEnv: {}, projectDir: '/p', readFile: files({ '/p/.env': 'A=$NOPE\n' }), onWarning: (w) => warnings.push(w) });
    expect(warnings.map((w) => w.code)).toEqual(['UNSET_VARIABLE']);
  });
});

describe('lookupOf', () => {
  it('finds own keys and tells unset from empty', () => {
    const lookup = lookupOf({ A: 'a', E: '' });
    expect(lookup('A')).toBe('a');
    expect(lookup('E')).toBe('');
    expect(lookup('Z')).toBeUndefined();
  });

  it('does not see inherited properties', () => {
    const lookup = lookupOf({});
    expect(lookup('toString')).toBeUndefined();
    expect(lookup('constructor')).toBeUndefined();
    expect(lookup('__proto__')).toBeUndefined();
  });
});

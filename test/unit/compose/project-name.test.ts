import { describe, expect, it } from 'vitest';
import { isValidProjectName, normalizeProjectName, resolveProjectName } from '../../../src/compose/project-name.js';
import type { Lookup } from '../../../src/compose/types.js';
import { failure as errorOf } from '../../support/compose.js';

const env = (vars: Record<string, string> = {}): Lookup => (name) => (Object.hasOwn(vars, name) ? vars[name] : undefined);


describe('resolveProjectName', () => {
  const all = { flag: 'flag', lookup: env({ COMPOSE_PROJECT_NAME: 'fromenv' }), nameField: 'field', projectDir: '/w/dir' };

  it('takes -p first', () => {
    expect(resolveProjectName(all)).toBe('flag');
  });

  it('then COMPOSE_PROJECT_NAME', () => {
    expect(resolveProjectName({ ...all, flag: undefined })).toBe('fromenv');
  });

  it('then the top-level name:', () => {
    expect(resolveProjectName({ ...all, flag: undefined, lookup: env() })).toBe('field');
  });

  it('then the project directory name', () => {
    expect(resolveProjectName({ lookup: env(), projectDir: '/w/my-app' })).toBe('my-app');
  });

  it('treats empty values as not given', () => {
    expect(resolveProjectName({ flag: '', lookup: env({ COMPOSE_PROJECT_NAME: '' }), nameField: '', projectDir: '/w/dir' })).toBe('dir');
  });

  it('normalises the directory name as Compose does', () => {
    expect(resolveProjectName({ lookup: env(), projectDir: '/w/My Project.v2' })).toBe('myprojectv2');
    expect(resolveProjectName({ lookup: env(), projectDir: '/w/__-Hidden_dir-' })).toBe('hidden_dir-');
    expect(resolveProjectName({ lookup: env(), projectDir: '/w/ÉCOLE' })).toBe('cole');
    expect(resolveProjectName({ lookup: env(), projectDir: '/srv/app/' })).toBe('app');
  });

  it('normalises name: as Compose does, and passes over one that normalises to nothing', () => {
    expect(resolveProjectName({ lookup: env(), nameField: 'My_App', projectDir: '/w/dir' })).toBe('my_app');
    expect(resolveProjectName({ lookup: env(), nameField: '!!!', projectDir: '/w/dir' })).toBe('dir');
  });

  it('leaves a name: that is not a string to schema validation', () => {
    expect(resolveProjectName({ lookup: env(), nameField: 123, projectDir: '/w/dir' })).toBe('dir');
  });

  it('rejects an invalid -p with a hint and a suggestion', () => {
    const err = errorOf(() => resolveProjectName({ flag: 'My App', lookup: env(), projectDir: '/w/dir' }));
    expect(err.code).toBe('COMPOSE_PROJECT_NAME');
    expect(err.message).toContain('"My App"');
    expect(err.message).toContain('-p');
    expect(err.hint).toContain('"myapp"');
  });

  it('rejects an invalid COMPOSE_PROJECT_NAME', () => {
    const err = errorOf(() => resolveProjectName({ lookup: env({ COMPOSE_PROJECT_NAME: '-dash' }), projectDir: '/w/dir' }));
    expect(err.code).toBe('COMPOSE_PROJECT_NAME');
    expect(err.message).toContain('COMPOSE_PROJECT_NAME');
    expect(err.hint).toBeDefined();
  });

  it('rejects a directory name that normalises to nothing', () => {
    const err = errorOf(() => resolveProjectName({ lookup: env(), projectDir: '/w/___' }));
    expect(err.code).toBe('COMPOSE_PROJECT_NAME');
    expect(err.message).toContain('"___"');
    expect(err.hint).toContain('-p');
    expect(errorOf(() => resolveProjectName({ lookup: env(), projectDir: '/' })).code).toBe('COMPOSE_PROJECT_NAME');
  });
});

describe('normalizeProjectName / isValidProjectName', () => {
  it.each([
    ['app', 'app'],
    ['App', 'app'],
    ['my.app', 'myapp'],
    ['-_x', 'x'],
    ['1-two_3', '1-two_3'],
    ['', ''],
  ])('%j normalises to %j', (input, output) => {
    expect(normalizeProjectName(input)).toBe(output);
  });

  it.each([
    ['app', true],
    ['a1_-', true],
    ['9lives', true],
    ['_app', false],
    ['-app', false],
    ['App', false],
    ['a b', false],
    ['', false],
  ])('%j valid: %s', (name, valid) => {
    expect(isValidProjectName(name)).toBe(valid);
  });
});

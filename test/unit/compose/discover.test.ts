import { describe, expect, it } from 'vitest';
import { COMPOSE_FILE_NAMES, discoverFiles } from '../../../src/compose/discover.js';
import type { Lookup } from '../../../src/compose/types.js';
import { failure as errorOf } from '../../support/compose.js';

const env = (vars: Record<string, string> = {}): Lookup => (name) => (Object.hasOwn(vars, name) ? vars[name] : undefined);
const existing = (...paths: string[]) => (path: string): boolean => paths.includes(path);


describe('discoverFiles', () => {
  describe('without -f', () => {
    it('finds compose.yaml in the working dir', () => {
      const result = discoverFiles({ workingDir: '/w/app', lookup: env(), exists: existing('/w/app/compose.yaml') });
      expect(result).toEqual({ files: ['/w/app/compose.yaml'], projectDir: '/w/app', warnings: [] });
    });

    it.each(COMPOSE_FILE_NAMES.map((name) => [name]))('finds %s', (name) => {
      const result = discoverFiles({ workingDir: '/w', lookup: env(), exists: existing(`/w/${name}`) });
      expect(result.files).toEqual([`/w/${name}`]);
    });

    it('prefers compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml in that order, and warns', () => {
      const all = existing('/w/compose.yml', '/w/docker-compose.yml', '/w/docker-compose.yaml');
      const result = discoverFiles({ workingDir: '/w', lookup: env(), exists: all });
      expect(result.files).toEqual(['/w/compose.yml']);
      expect(result.warnings).toHaveLength(1);
      expect(result.warnings[0]).toContain('/w/compose.yml, /w/docker-compose.yml, /w/docker-compose.yaml');
      const legacy = discoverFiles({ workingDir: '/w', lookup: env(), exists: existing('/w/docker-compose.yaml', '/w/docker-compose.yml') });
      expect(legacy.files).toEqual(['/w/docker-compose.yml']);
    });

    it('adds an override file beside it', () => {
      const result = discoverFiles({ workingDir: '/w', lookup: env(), exists: existing('/w/compose.yaml', '/w/compose.override.yaml') });
      expect(result.files).toEqual(['/w/compose.yaml', '/w/compose.override.yaml']);
      const legacy = discoverFiles({ workingDir: '/w', lookup: env(), exists: existing('/w/docker-compose.yml', '/w/docker-compose.override.yml') });
      expect(legacy.files).toEqual(['/w/docker-compose.yml', '/w/docker-compose.override.yml']);
    });

    it('takes the first override name found and warns about the others', () => {
      const result = discoverFiles({
        workingDir: '/w',
        lookup: env(),
        exists: existing('/w/compose.yaml', '/w/compose.override.yaml', '/w/compose.override.yml'),
      });
      expect(result.files).toEqual(['/w/compose.yaml', '/w/compose.override.yml']);
      expect(result.warnings).toHaveLength(1);
      expect(result.warnings[0]).toContain('override');
    });

    it('searches upward through parent directories; the project dir is where the file is', () => {
      const result = discoverFiles({ workingDir: '/w/app/src/deep', lookup: env(), exists: existing('/w/app/compose.yaml', '/w/compose.yaml') });
      expect(result).toEqual({ files: ['/w/app/compose.yaml'], projectDir: '/w/app', warnings: [] });
    });

    it('does not take an override from another directory than the file', () => {
      const result = discoverFiles({ workingDir: '/w/app', lookup: env(), exists: existing('/w/compose.yaml', '/w/app/compose.override.yaml') });
      expect(result.files).toEqual(['/w/compose.yaml']);
    });

    it('starts from --project-directory and keeps it as the project dir', () => {
      const result = discoverFiles({ workingDir: '/w', projectDirectory: 'proj', lookup: env(), exists: existing('/w/proj/compose.yaml') });
      expect(result).toEqual({ files: ['/w/proj/compose.yaml'], projectDir: '/w/proj', warnings: [] });
      const above = discoverFiles({ workingDir: '/x', projectDirectory: '/w/proj/sub', lookup: env(), exists: existing('/w/proj/compose.yaml') });
      expect(above).toEqual({ files: ['/w/proj/compose.yaml'], projectDir: '/w/proj/sub', warnings: [] });
    });

    it('fails with "no configuration file provided: not found"', () => {
      const err = errorOf(() => discoverFiles({ workingDir: '/w/app', lookup: env(), exists: existing() }));
      expect(err.code).toBe('COMPOSE_FILE_NOT_FOUND');
      expect(err.message).toBe('no configuration file provided: not found');
      expect(err.hint).toContain('-f');
    });
  });

  describe('with -f', () => {
    const fs = existing('/w/a.yml', '/w/b.yml', '/other/c.yml', '/w/compose.yaml');

    it('keeps the files in order, relative to the working dir', () => {
      const result = discoverFiles({ workingDir: '/w', files: ['a.yml', './b.yml', '/other/c.yml'], lookup: env(), exists: fs });
      expect(result).toEqual({ files: ['/w/a.yml', '/w/b.yml', '/other/c.yml'], projectDir: '/w', warnings: [] });
    });

    it('makes the first file\'s directory the project dir', () => {
      expect(discoverFiles({ workingDir: '/w', files: ['/other/c.yml', 'a.yml'], lookup: env(), exists: fs }).projectDir).toBe('/other');
    });

    it('resolves -f against the working dir even with --project-directory', () => {
      const result = discoverFiles({ workingDir: '/w', files: ['a.yml'], projectDirectory: '/other', lookup: env(), exists: fs });
      expect(result).toEqual({ files: ['/w/a.yml'], projectDir: '/other', warnings: [] });
    });

    it('does not add override files', () => {
      expect(discoverFiles({ workingDir: '/w', files: ['compose.yaml'], lookup: env(), exists: existing('/w/compose.yaml', '/w/compose.override.yaml') }).files)
        .toEqual(['/w/compose.yaml']);
    });

    it('keeps - for standard input; the project dir is then the working dir', () => {
      expect(discoverFiles({ workingDir: '/w', files: ['-'], lookup: env(), exists: fs })).toEqual({ files: ['-'], projectDir: '/w', warnings: [] });
      expect(discoverFiles({ workingDir: '/w', files: ['-'], projectDirectory: '/p', lookup: env(), exists: fs }).projectDir).toBe('/p');
    });

    it('takes the project dir from the first file that is not stdin', () => {
      expect(discoverFiles({ workingDir: '/w', files: ['-', '/other/c.yml'], lookup: env(), exists: fs }).projectDir).toBe('/other');
    });

    it('fails for a file that does not exist, naming it', () => {
      const err = errorOf(() => discoverFiles({ workingDir: '/w', files: ['a.yml', 'missing.yml'], lookup: env(), exists: fs }));
      expect(err.code).toBe('COMPOSE_FILE_NOT_FOUND');
      expect(err.message).toContain('/w/missing.yml');
    });
  });

  describe('COMPOSE_FILE', () => {
    const fs = existing('/w/a.yml', '/w/b.yml', '/w/compose.yaml');

    it('is used when no -f is given, split by :', () => {
      const result = discoverFiles({ workingDir: '/w', lookup: env({ COMPOSE_FILE: 'a.yml:b.yml' }), exists: fs });
      expect(result).toEqual({ files: ['/w/a.yml', '/w/b.yml'], projectDir: '/w', warnings: [] });
    });

    it('honours COMPOSE_PATH_SEPARATOR', () => {
      const result = discoverFiles({ workingDir: '/w', lookup: env({ COMPOSE_FILE: 'a.yml;b.yml', COMPOSE_PATH_SEPARATOR: ';' }), exists: fs });
      expect(result.files).toEqual(['/w/a.yml', '/w/b.yml']);
    });

    it('is ignored when -f is given', () => {
      expect(discoverFiles({ workingDir: '/w', files: ['b.yml'], lookup: env({ COMPOSE_FILE: 'a.yml' }), exists: fs }).files).toEqual(['/w/b.yml']);
    });

    it('an empty value means the default search', () => {
      expect(discoverFiles({ workingDir: '/w', lookup: env({ COMPOSE_FILE: '' }), exists: fs }).files).toEqual(['/w/compose.yaml']);
    });

    it('fails for a listed file that does not exist', () => {
      const err = errorOf(() => discoverFiles({ workingDir: '/w', lookup: env({ COMPOSE_FILE: 'a.yml:gone.yml' }), exists: fs }));
      expect(err.code).toBe('COMPOSE_FILE_NOT_FOUND');
      expect(err.message).toContain('/w/gone.yml');
    });
  });
});

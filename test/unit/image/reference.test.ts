import { describe, expect, it } from 'vitest';
import { familiarName, formatReference, normalizeName, parseReference } from '../../../src/image/reference.js';

describe('image references, normalised as Docker does', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['docker.io/library/busybox:latest', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['index.docker.io/library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['someone/app:2', 'docker.io/someone/app:2', 'someone/app:2'],
    ['localhost/app', 'localhost/app:latest', 'localhost/app:latest'],
    ['localhost:5000/app:1', 'localhost:5000/app:1', 'localhost:5000/app:1'],
    ['ghcr.io/org/team/app:v1.2', 'ghcr.io/org/team/app:v1.2', 'ghcr.io/org/team/app:v1.2'],
    [`app@sha256:${'a'.repeat(64)}`, `docker.io/library/app@sha256:${'a'.repeat(64)}`, `app@sha256:${'a'.repeat(64)}`],
    [`app:1@sha256:${'b'.repeat(64)}`, `docker.io/library/app:1@sha256:${'b'.repeat(64)}`, `app:1@sha256:${'b'.repeat(64)}`],
  ])('%s → %s', (input, full, familiar) => {
    const ref = parseReference(input);
    expect(formatReference(ref)).toBe(full);
    expect(familiarName(ref)).toBe(familiar);
    expect(normalizeName(full)).toBe(full);
  });

  it('splits registry, path, tag and digest', () => {
    expect(parseReference('localhost:5000/team/app:1')).toEqual({ domain: 'localhost:5000', path: 'team/app', tag: '1' });
    expect(parseReference(`app@sha256:${'c'.repeat(64)}`)).toEqual({ domain: 'docker.io', path: 'library/app', digest: `sha256:${'c'.repeat(64)}` });
  });

  it.each([
    ['', 'empty'],
    ['Busybox', 'lowercase'],
    ['busybox:', 'tag'],
    ['busybox:-bad', 'tag'],
    ['bad..name', 'path component'],
    ['app@sha256:short', 'digest'],
    ['a'.repeat(64).replace(/a/g, 'f'), 'image id'],
    [`${'x'.repeat(250)}/y`, '255'],
  ])('refuses %j (%s)', (input, why) => {
    expect(() => parseReference(input)).toThrow(expect.objectContaining({ code: 'IMAGE_INVALID', message: expect.stringContaining(why) }));
  });
});

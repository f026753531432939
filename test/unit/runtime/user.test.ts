import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LayeredRootView, type RootView } from '../../../src/runtime/root-view.js';
import { resolveUser } from '../../../src/runtime/user.js';
import { parseGroup, parsePasswd } from '../../../src/runtime/passwd-file.js';

const files = (entries: Record<string, string>): RootView => ({ readFile: async (p) => entries[p] });

const ALPINE_LIKE = files({
  '/etc/passwd': 'root:x:0:0:root:/root:/bin/ash\nbin:x:1:1:bin:/bin:/sbin/nologin\n# comment\nbroken line\nweb:x:33:33:www:/var/www:/sbin/nologin\nnohome:x:44:44::\n',
  '/etc/group': 'root:x:0:root\nbin:x:1:root,bin\nwheel:x:10:root\nwww-data:x:33:\nstaff:x:50:web, root\n',
});

describe('resolveUser', () => {
  it('runs as root with the groups that list root when no user is given', async () => {
    expect(await resolveUser(undefined, undefined, ALPINE_LIKE)).toEqual({ uid: 0, gid: 0, additionalGids: [0, 1, 10, 50], home: '/root' });
  });

  it('finds a user by name or uid, with its primary group, home and memberships', async () => {
    const web = { uid: 33, gid: 33, additionalGids: [50], home: '/var/www' };
    expect(await resolveUser('web', undefined, ALPINE_LIKE)).toEqual(web);
    expect(await resolveUser('33', undefined, ALPINE_LIKE)).toEqual(web);
  });

  it('takes an explicit group by name or id, without the memberships', async () => {
    expect(await resolveUser('web:staff', undefined, ALPINE_LIKE)).toEqual({ uid: 33, gid: 50, additionalGids: [], home: '/var/www' });
    expect(await resolveUser('web:7', undefined, ALPINE_LIKE)).toEqual({ uid: 33, gid: 7, additionalGids: [], home: '/var/www' });
  });

  it('accepts ids that are in no file, with group 0 and home /', async () => {
    expect(await resolveUser('1234', undefined, ALPINE_LIKE)).toEqual({ uid: 1234, gid: 0, additionalGids: [], home: '/' });
    expect(await resolveUser('1234:5678', undefined, files({}))).toEqual({ uid: 1234, gid: 5678, additionalGids: [], home: '/' });
    expect(await resolveUser('nohome', undefined, ALPINE_LIKE)).toMatchObject({ uid: 44, home: '/' });
  });

  it('adds extra groups by name or id after the memberships, without duplicates', async () => {
    expect(await resolveUser('web', ['wheel', 99, 'staff'], ALPINE_LIKE)).toMatchObject({ additionalGids: [50, 10, 99] });
  });

  it('takes numeric users as given, with home from passwd', async () => {
    expect(await resolveUser({ uid: 33, gid: 1, additionalGids: [2] }, ['wheel'], ALPINE_LIKE))
      .toEqual({ uid: 33, gid: 1, additionalGids: [2, 10], home: '/var/www' });
  });

  it('refuses an unknown user or group name with Docker\'s words', async () => {
    await expect(resolveUser('x', undefined, ALPINE_LIKE)).rejects.toMatchObject({
      code: 'CONTAINER_START', message: 'unable to find user x: no matching entries in passwd file',
    });
    await expect(resolveUser('x', undefined, files({}))).rejects.toMatchObject({ code: 'CONTAINER_START' });
    await expect(resolveUser('web:nogroup', undefined, ALPINE_LIKE)).rejects.toMatchObject({
      code: 'CONTAINER_START', message: 'unable to find group nogroup: no matching entries in group file',
    });
    await expect(resolveUser('web', ['ghosts'], ALPINE_LIKE)).rejects.toMatchObject({ message: 'unable to find group ghosts: no matching entries in group file' });
  });

  it('skips malformed lines of passwd and group', () => {
    expect(parsePasswd('a:x:1:1::/a:\n:x:2:2::/:\nb:x:no:1::/:\nc:x:3\n').map((e) => e.name)).toEqual(['a']);
    expect(parseGroup('g:x:5:a,b\nh:x:-1:\n').map((g) => [g.name, g.members])).toEqual([['g', ['a', 'b']]]);
  });
});

describe('LayeredRootView', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-rootview-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function put(path: string, text: string): Promise<void> {
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, text);
  }

  it('follows symlinks inside the root only, absolute and relative', async () => {
    const root = join(dir, 'root');
    await put(join(root, 'real/passwd'), 'inside');
    await put(join(dir, 'passwd'), 'outside');
    await mkdir(join(root, 'etc'));
    await symlink('/real/passwd', join(root, 'etc/passwd'));
    await symlink('../../../../passwd', join(root, 'etc/group'));
    await symlink('loop', join(root, 'etc/loop'));
    const view = new LayeredRootView({ path: root });
    expect(await view.readFile('/etc/passwd')).toBe('inside');
    expect(await view.readFile('/etc/group')).toBeUndefined();
    expect(await view.readFile('/etc/loop')).toBeUndefined();
    expect(await view.readFile('/etc')).toBeUndefined();
    expect(await view.readFile('/etc/passwd/x')).toBeUndefined();
  });

  it('reads an overlay top layer first, through the layers', async () => {
    const [upper, l1, l2] = ['upper', 'l1', 'l2'].map((d) => join(dir, d)) as [string, string, string];
    await put(join(l2, 'etc/passwd'), 'bottom');
    await put(join(l2, 'etc/group'), 'bottom group');
    await put(join(l1, 'etc/passwd'), 'middle');
    await mkdir(upper);
    await symlink('/etc/group', join(l1, 'link'));
    const view = new LayeredRootView({ path: join(dir, 'merged'), overlay: { lowerdirs: [l1, l2], upperdir: upper, workdir: join(dir, 'w') } });
    expect(await view.readFile('/etc/passwd')).toBe('middle');
    expect(await view.readFile('/link')).toBe('bottom group');
    await put(join(upper, 'etc/passwd'), 'top');
    expect(await view.readFile('/etc/passwd')).toBe('top');
  });

  it.skipIf(process.getuid?.() !== 0)('treats an overlay whiteout as absent', async () => {
    const [upper, lower] = ['upper', 'lower'].map((d) => join(dir, d)) as [string, string];
    await put(join(lower, 'etc/group'), 'lower');
    await mkdir(join(upper, 'etc'), { recursive: true });
    execFileSync('mknod', [join(upper, 'etc/group'), 'c', '0', '0']);
    const view = new LayeredRootView({ path: dir, overlay: { lowerdirs: [lower], upperdir: upper, workdir: dir } });
    expect(await view.readFile('/etc/group')).toBeUndefined();
  });
});

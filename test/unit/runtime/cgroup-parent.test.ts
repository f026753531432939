import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateRecord } from '../../../src/runtime/container-record.js';
import { ContainerStore } from '../../../src/runtime/container-store.js';
import type { Runtime } from '../../../src/runtime/runtime.js';
import { CgroupTree } from './cgroup-tree.js';
import { RuntimeFixture } from './runtime-fixture.js';

describe('the cgroup parent recorded with a container', () => {
  let f: RuntimeFixture;
  let tree: CgroupTree;
  let store: ContainerStore;
  /** A runtime whose cgroup manager has `parent` as its own, on the fixture's roots and kernel. */
  const runtimeIn = (parent: string | undefined): Runtime => {
    f.cgroups = parent === undefined ? undefined : tree.manager(parent);
    return f.makeRuntime();
  };

  beforeEach(async () => {
    f = await RuntimeFixture.create();
    tree = new CgroupTree();
    store = new ContainerStore(f.paths);
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('is the parent of the runtime that created the container, and none without cgroups', async () => {
    const web = await runtimeIn('alpha').create(f.spec('web', ['probe', 'sleep', '30']));
    expect((await store.read(web.id))?.cgroupParent).toBe('alpha');
    const db = await runtimeIn(undefined).create(f.spec('db', ['probe', 'sleep', '30']));
    expect((await store.read(db.id))?.cgroupParent).toBeUndefined();
  });

  it('is where start, stats, pause, unpause, stop, restart and remove act after the setting changed', async () => {
    const a = runtimeIn('alpha');
    const web = await a.create(f.spec('web', ['probe', 'sleep', '30'], { resources: { pids: 20 } }));
    await a.start('web');
    const id = web.id.slice(-4);
    expect(tree.paths()).toEqual([`alpha/${id}`]);

    const b = runtimeIn('beta');
    expect(await b.stats('web')).toMatchObject({ pids: 1 });
    await b.pause('web');
    expect(tree.isFrozen('alpha', web.id)).toBe(true);
    await b.unpause('web');
    expect(tree.isFrozen('alpha', web.id)).toBe(false);
    await b.restart('web', { timeoutMs: 1000 });
    expect((await b.inspect('web')).status).toBe('running');
    await b.pause('web');
    await b.stop('web', { timeoutMs: 1000 });
    expect(tree.paths()).toEqual([`alpha/${id}`]);
    await b.start('web');
    await b.remove('web', { force: true });

    expect(tree.paths()).toEqual([]);
    expect(tree.calls.filter((c) => !c.startsWith('stats ')).map((c) => c.split(' ')[0])).toEqual([
      'create', 'freeze', 'thaw', 'create', 'freeze', 'thaw', 'create', 'remove',
    ]);
    expect(tree.calls.filter((c) => !c.endsWith(` alpha/${id}`))).toEqual([]);
    expect(await f.containerDirs()).toEqual([]);
  });

  it('is where an OOM kill is looked for when another runtime sees the container end', async () => {
    const a = runtimeIn('alpha');
    const web = await a.create(f.spec('web', ['probe', 'sleep', '30']));
    await a.start('web');
    tree.oomKill('alpha', web.id);
    const b = runtimeIn('beta');
    await b.kill('web', 'SIGKILL');
    expect(await b.wait('web')).toMatchObject({ signal: 'SIGKILL', oomKilled: true });
    expect(await b.inspect('web')).toMatchObject({ status: 'exited', oomKilled: true });
    expect(tree.calls.filter((c) => c.includes('beta/'))).toEqual([]);
    await b.remove('web');
    expect(tree.paths()).toEqual([]);
  });

  it('of an old record without one is the acting runtime\'s, kept from the start that made its cgroup', async () => {
    const web = await runtimeIn('alpha').create(f.spec('web', ['probe', 'sleep', '30']));
    const { cgroupParent: _dropped, ...old } = (await store.read(web.id)) ?? expect.fail('no record');
    await store.write(old);
    expect((await store.read(web.id))?.cgroupParent).toBeUndefined();

    await runtimeIn('beta').start('web');
    expect((await store.read(web.id))?.cgroupParent).toBe('beta');
    expect(tree.paths()).toEqual([`beta/${web.id.slice(-4)}`]);
    await runtimeIn('gamma').remove('web', { force: true });
    expect(tree.paths()).toEqual([]);
    expect(tree.calls.filter((c) => c.includes('alpha/') || c.includes('gamma/'))).toEqual([]);
  });

  it('must be one plain directory name in state.json', async () => {
    const web = await runtimeIn('alpha').create(f.spec('web', ['probe', 'exit', '0']));
    const record = JSON.parse(JSON.stringify(await store.read(web.id))) as Record<string, unknown>;
    expect(validateRecord(record)).toMatchObject({ cgroupParent: 'alpha' });
    for (const bad of ['a/b', '..', '', 7]) {
      expect(() => validateRecord({ ...record, cgroupParent: bad })).toThrow('field `cgroupParent` is missing or wrong');
    }
  });
});

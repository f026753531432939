import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shortId } from '../../../src/runtime/container-id.js';
import { capMask, type ProbeReport } from './probe-report.js';
import { linuxWorld, nativesReady, type LinuxWorld } from './runtime-world.js';

const runc = spawnSync('runc', ['--version']).status === 0;

/** What a container looks like from inside, minus what differs between two runs by nature (pids, times). */
function essentials(r: ProbeReport): unknown {
  const caps = ['CapBnd', 'CapEff', 'CapPrm', 'CapInh', 'CapAmb'] as const;
  return {
    hostname: r.hostname, pid: r.pid, ids: [r.uid, r.gid, r.euid, r.egid], groups: r.groups, cwd: r.cwd, env: r.env,
    caps: caps.map((c) => capMask(r, c).toString(16)), noNewPrivs: r.status.NoNewPrivs,
    nofile: r.rlimits.NOFILE, interfaces: r.interfaces,
    mounts: r.mounts.map((m) => `${m.target} ${m.type} ${m.options.split(',').includes('ro') ? 'ro' : 'rw'}`).sort(),
  };
}

describe.skipIf(!nativesReady || !runc)('config.json runs the same container under runc', () => {
  let world: LinuxWorld;
  beforeEach(async () => {
    world = await linuxWorld();
  });
  afterEach(async () => {
    expect(await world.cleanup()).toEqual([]);
  });

  const cases: [string, Parameters<LinuxWorld['spec']>[2]][] = [
    ['root, the defaults', {}],
    ['a user from /etc/passwd, no_new_privs, a read-only bind and limits', {
      process: { args: ['probe', 'report'], user: 'user', env: ['A=1'], cwd: '/home/user' },
      noNewPrivileges: true,
      rlimits: [{ type: 'RLIMIT_NOFILE', soft: 100, hard: 200 }],
      capabilities: { add: ['NET_ADMIN'], drop: ['MKNOD'] },
    }],
  ];

  it.each(cases)('%s', async (_title, overrides) => {
    const rt = world.runtime;
    const spec = world.spec('same', ['probe', 'report'], {
      ...overrides,
      mounts: [{ type: 'bind', source: join(world.rootfs, 'etc'), target: '/mnt/etc', readonly: true }, { type: 'tmpfs', target: '/scratch' }],
    });
    const info = await rt.create(spec);
    await rt.start(info.id);
    expect((await rt.wait(info.id)).exitCode).toBe(0);
    let ours = '';
    for await (const r of rt.logs(info.id)) if (r.stream === 'stdout') ours += r.log;

    const theirs = execFileSync('runc', ['--root', join(world.dir, 'runc'), 'run', '--bundle', info.paths.bundle, `tsc-${shortId(info.id)}`], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000,
    });
    expect(essentials(JSON.parse(theirs) as ProbeReport)).toEqual(essentials(JSON.parse(ours) as ProbeReport));
    expect(execFileSync('runc', ['--root', join(world.dir, 'runc'), 'list', '-q'], { encoding: 'utf8' }).trim()).toBe('');
    await rt.remove(info.id);
  });
});

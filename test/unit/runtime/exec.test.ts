import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import type { ExecIo, ExecOutcome, ExecPlan } from '../../../src/kernel/exec-plan.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import { DEFAULT_CAPABILITIES } from '../../../src/runtime/capabilities.js';
import { HOST, RuntimeFixture } from './runtime-fixture.js';

/** The FakeKernel with an exec that records what it was asked and answers with `outcome`. */
function recordingExec(f: RuntimeFixture, outcome: Omit<ExecOutcome, 'process'> = { exitCode: 0, signal: null, timedOut: false, stdout: 'out', stderr: '' }) {
  const calls: { plan: ExecPlan; io: ExecIo }[] = [];
  (f.kernel as Kernel).exec = async (plan, io) => {
    calls.push({ plan, io });
    return { process: { pid: 4242, startTime: 1 }, ...outcome };
  };
  return calls;
}

const codeOf = (err: unknown): string | undefined => (err instanceof TscError ? err.code : undefined);

describe('Runtime.exec', () => {
  let f: RuntimeFixture;
  beforeEach(async () => {
    f = await RuntimeFixture.create();
  });
  afterEach(async () => {
    await f.cleanup();
  });

  async function runningBox(): Promise<void> {
    await f.runtime.create(f.spec('box', ['probe', 'sleep', '60'], { process: { args: ['probe', 'sleep', '60'], env: ['GREETING=hello', 'HOME=/data'], cwd: '/srv' } }));
    await f.runtime.start('box');
  }

  it('builds the plan from the container: its process, namespaces, capabilities, limits, user, env and cwd', async () => {
    const calls = recordingExec(f);
    await runningBox();
    const info = await f.runtime.inspect('box');
    const result = await f.runtime.exec('box', { args: ['sh', '-c', 'true'] });
    expect(result).toEqual({ exitCode: 0, signal: null, timedOut: false, stdout: 'out', stderr: '', pid: 4242 });
    const [{ plan, io }] = calls as [{ plan: ExecPlan; io: ExecIo }];
    const launched = f.kernel.launched[0];
    expect(plan.target.pid).toBe(info.pid);
    expect([...plan.namespaces].sort()).toEqual(Object.keys(launched?.namespaces ?? {}).sort());
    expect(plan.namespaces).toContain('pid');
    expect(plan.capabilities).toEqual(launched?.capabilities);
    expect(plan.capabilities?.effective).toHaveLength(DEFAULT_CAPABILITIES.length);
    expect(plan.rlimits).toEqual(launched?.rlimits);
    expect(plan.umask).toBe(launched?.umask);
    expect(plan.user).toEqual({ uid: 0, gid: 0, additionalGids: [] });
    expect(plan.env).toEqual(launched?.env);
    expect(plan.cwd).toBe('/srv');
    expect(plan.dir).toBe(info.paths.bundle);
    expect(plan.cgroups).toBeUndefined();
    expect([plan.tty, plan.detach]).toEqual([false, false]);
    expect(io).toEqual({ stdin: 'ignore', output: 'capture' });
  });

  it('takes the user from the container\'s passwd and group files, with that user\'s HOME when the container sets none', async () => {
    const calls = recordingExec(f);
    await f.runtime.create(f.spec('plain', ['probe', 'sleep', '60']));
    await f.runtime.start('plain');
    await f.runtime.exec('plain', { args: ['id'], user: 'user' });
    await f.runtime.exec('plain', { args: ['id'], user: '1000:1000' });
    expect(calls.map((c) => c.plan.user)).toEqual([
      { uid: 1000, gid: 1000, additionalGids: [1001] },
      { uid: 1000, gid: 1000, additionalGids: [] },
    ]);
    expect(calls[0]?.plan.env).toContain('HOME=/home/user');
    const err = await f.runtime.exec('plain', { args: ['id'], user: 'ghost' }).catch((e: unknown) => e);
    expect(codeOf(err)).toBe('EXEC_FAILED');
    expect((err as Error).message).toBe('exec in `plain`: user: unable to find user ghost: no matching entries in passwd file');
    expect(calls).toHaveLength(2);
  });

  it('lays -e over the environment, takes -w, and gives every host capability when privileged', async () => {
    const calls = recordingExec(f);
    await runningBox();
    await f.runtime.exec('box', { args: ['env'], env: ['GREETING=hi', 'NEW=1'], cwd: '/tmp', privileged: true, tty: true, stdin: 'inherit', output: 'inherit' });
    const [{ plan, io }] = calls as [{ plan: ExecPlan; io: ExecIo }];
    expect(plan.env.filter((e) => /^(GREETING|NEW|HOME)=/.test(e))).toEqual(['GREETING=hi', 'HOME=/data', 'NEW=1']);
    expect(plan.cwd).toBe('/tmp');
    expect(plan.capabilities?.effective).toEqual(HOST.capabilities);
    expect(plan.tty).toBe(true);
    expect(io).toMatchObject({ stdin: 'inherit', output: 'inherit' });
  });

  it('detached: nothing is attached', async () => {
    const calls = recordingExec(f);
    await runningBox();
    await f.runtime.exec('box', { args: ['sleep', '9'], detach: true, stdin: 'inherit', output: 'inherit' });
    expect(calls[0]?.plan.detach).toBe(true);
    expect(calls[0]?.io).toEqual({ stdin: 'ignore', output: 'ignore' });
  });

  it('refuses bad input with USAGE before running anything', async () => {
    const calls = recordingExec(f);
    await runningBox();
    expect(codeOf(await f.runtime.exec('box', { args: [] }).catch((e: unknown) => e))).toBe('USAGE');
    expect(codeOf(await f.runtime.exec('box', { args: ['ls'], cwd: 'relative' }).catch((e: unknown) => e))).toBe('USAGE');
    expect(codeOf(await f.runtime.exec('box', { args: ['ls'], env: ['NOVALUE'] }).catch((e: unknown) => e))).toBe('USAGE');
    expect(calls).toEqual([]);
  });

  it('refuses a container that is not running with CONTAINER_BAD_STATE, and a kernel that cannot exec with UNSUPPORTED', async () => {
    await f.runtime.create(f.spec('idle', ['probe', 'sleep', '60']));
    const idle = await f.runtime.exec('idle', { args: ['true'] }).catch((e: unknown) => e);
    expect(codeOf(idle)).toBe('CONTAINER_BAD_STATE');
    expect((idle as Error).message).toBe('cannot exec in container idle: it is not running');
    await f.runtime.start('idle');
    expect(codeOf(await f.runtime.exec('idle', { args: ['true'] }).catch((e: unknown) => e))).toBe('UNSUPPORTED');
    expect(codeOf(await f.runtime.exec('nothing', { args: ['true'] }).catch((e: unknown) => e))).toBe('CONTAINER_NOT_FOUND');
  });
});

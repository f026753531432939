import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContainerSpec } from '../../../src/runtime/container-spec.js';
import type { LogRecord } from '../../../src/runtime/log-record.js';
import type { Runtime } from '../../../src/runtime/runtime.js';

/** One world to run the lifecycle in: a runtime over some kernel, and what it left behind afterwards. */
export interface RuntimeWorld {
  readonly runtime: Runtime;
  /** A spec whose rootfs holds the probe as `probe`, and the users root and user (1000:1000, also in 1001). */
  spec(name: string, args: string[], overrides?: Partial<ContainerSpec>): ContainerSpec;
  /** Ends the world; returns what is left of it: live processes, mounts, container directories. */
  cleanup(): Promise<string[]>;
}

async function collect(records: AsyncIterable<LogRecord>): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}

/** Follows a container's log until a record holds `wanted` (e.g. the probe saying its handlers are in place). */
export async function untilLogged(runtime: Runtime, ref: string, wanted: string): Promise<void> {
  for await (const r of runtime.logs(ref, { follow: true })) if (r.log.includes(wanted)) return;
  throw new Error(`${ref} ended without logging "${wanted}"`);
}

const text = (records: readonly LogRecord[], stream = 'stdout'): string => records.filter((r) => r.stream === stream).map((r) => r.log).join('');

/**
 * The runtime's lifecycle contract, run against the FakeKernel (unit) and the LinuxKernel (integration)
 * alike, so the fake cannot drift from the machine.
 */
export function describeRuntimeLifecycle(name: string, makeWorld: () => Promise<RuntimeWorld>): void {
  describe(`runtime lifecycle (${name})`, () => {
    let world: RuntimeWorld;
    beforeEach(async () => {
      world = await makeWorld();
    });
    afterEach(async () => {
      expect(await world.cleanup()).toEqual([]);
    });

    it('creates, starts, logs, stops with SIGTERM, records the exit, and removes without a trace', async () => {
      const rt = world.runtime;
      const created = await rt.create(world.spec('web-1', ['probe', 'echo', 'ready', 'then', 'sleep', '30'], { labels: { app: 'web' } }));
      expect(created.status).toBe('created');
      expect(created.id).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.parse(await readFile(created.paths.config, 'utf8')).process.args).toEqual(['probe', 'echo', 'ready', 'then', 'sleep', '30']);
      const started = await rt.start('web-1');
      expect(started.status).toBe('running');
      expect(started.pid).toBeGreaterThan(0);
      expect((await rt.inspect(created.id)).status).toBe('running');
      const first = rt.logs('web-1', { follow: true })[Symbol.asyncIterator]();
      expect((await first.next()).value).toMatchObject({ stream: 'stdout', log: 'ready\n' });
      await first.return?.();
      await untilLogged(rt, 'web-1', 'sleeping 30');
      const stopped = await rt.stop('web-1', { timeoutMs: 5_000 });
      expect(stopped.status).toBe('exited');
      expect(stopped.exit).toMatchObject({ exitCode: 143, signal: null });
      expect(text(await collect(rt.logs('web-1')))).toBe('ready\nsleeping 30\nsignal 15\n');
      expect((await rt.inspect('web-1')).exit?.exitCode).toBe(143);
      await rt.remove('web-1');
      expect(existsSync(created.paths.dir)).toBe(false);
      await expect(rt.inspect('web-1')).rejects.toMatchObject({ code: 'CONTAINER_NOT_FOUND' });
    });

    it('kills a process that ignores SIGTERM once the grace period is over', async () => {
      const rt = world.runtime;
      await rt.create(world.spec('stubborn', ['probe', 'ignore-term']));
      await rt.start('stubborn');
      await untilLogged(rt, 'stubborn', 'ignoring SIGTERM');
      const stopped = await rt.stop('stubborn', { timeoutMs: 300 });
      expect(stopped.exit).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
      await rt.remove('stubborn');
    });

    it('waits for a container to exit on its own and reports its code and output', async () => {
      const rt = world.runtime;
      await rt.create(world.spec('job', ['probe', 'echo', 'out', 'then', 'echo-err', 'err', 'then', 'exit', '3']));
      await rt.start('job');
      expect((await rt.wait('job')).exitCode).toBe(3);
      const records = await collect(rt.logs('job', { follow: true }));
      expect(text(records)).toBe('out\n');
      expect(text(records, 'stderr')).toBe('err\n');
      expect((await rt.list({ labels: {} })).map((c) => [c.name, c.status])).toEqual([['job', 'exited']]);
      await rt.start('job');
      expect((await rt.wait('job')).exitCode).toBe(3);
      expect(text(await collect(rt.logs('job')))).toBe('out\nout\n');
      await rt.remove('job');
    });

    it('refuses a second container of the same name, and removing a running one without force', async () => {
      const rt = world.runtime;
      await rt.create(world.spec('db', ['probe', 'sleep', '30']));
      await expect(rt.create(world.spec('db', ['probe', 'exit', '0']))).rejects.toMatchObject({
        code: 'CONTAINER_BAD_STATE', message: 'container name "db" is already in use',
      });
      await rt.start('db');
      await expect(rt.start('db')).rejects.toMatchObject({ code: 'CONTAINER_BAD_STATE', message: 'cannot start container db: it is running' });
      await expect(rt.remove('db')).rejects.toMatchObject({ code: 'CONTAINER_BAD_STATE', message: 'cannot remove container db: it is running' });
      await rt.remove('db', { force: true });
      expect(await rt.list()).toEqual([]);
    });

    it('fails to start a command that is not there, and keeps the container created', async () => {
      const rt = world.runtime;
      await rt.create(world.spec('typo', ['nope']));
      await expect(rt.start('typo')).rejects.toMatchObject({
        code: 'CONTAINER_START', message: 'start `typo`: exec: "nope": executable file not found in $PATH',
      });
      const info = await rt.inspect('typo');
      expect(info.status).toBe('created');
      expect(info.error).toContain('executable file not found');
      await rt.remove('typo');
    });

    it('refuses an unknown user at create', async () => {
      await expect(world.runtime.create(world.spec('who', ['probe', 'exit', '0'], { process: { args: ['probe'], user: 'x' } }))).rejects.toMatchObject({
        code: 'CONTAINER_START', message: 'create `who`: unable to find user x: no matching entries in passwd file',
      });
      expect(await world.runtime.list()).toEqual([]);
    });
  });
}

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import { LinuxKernel } from '../../../src/kernel/linux/linux-kernel.js';
import { attachSocketOf } from '../../../src/runtime/attach-socket.js';
import { containerPaths } from '../../../src/runtime/container-paths.js';
import type { ContainerSpec } from '../../../src/runtime/container-spec.js';
import { untilLogged } from '../../unit/runtime/runtime-conformance.js';
import { dockerPlan } from './docker-plan.js';
import { HELPER, readLog, Sandbox, streamText, waitExit } from './harness.js';
import { linuxWorld, nativesReady, type LinuxWorld } from './runtime-world.js';

// A container's stdin and terminal on the real kernel: pipes and ptys made by the helper, fed through
// the monitor's attach socket by Runtime.attach, read back from the container's log.
describe.skipIf(!nativesReady)('stdin and terminal of a container', () => {
  let world: LinuxWorld;
  beforeEach(async () => {
    world = await linuxWorld();
  });
  afterEach(async () => {
    expect(await world.cleanup()).toEqual([]);
  });

  const create = (name: string, args: string[], io: Pick<ContainerSpec, 'stdin' | 'tty'>): ReturnType<LinuxWorld['runtime']['create']> =>
    world.runtime.create(world.spec(name, args, io));

  async function stdout(name: string): Promise<string> {
    let out = '';
    for await (const r of world.runtime.logs(name)) if (r.stream === 'stdout') out += r.log;
    return out;
  }

  const socketOf = (id: string): string => attachSocketOf(containerPaths(world.paths, id));

  it("stdin 'once': cat reads what is written, then EOF when the input ends", async () => {
    const created = await create('cat-once', ['cat'], { stdin: 'once' });
    expect([created.stdin, created.tty]).toEqual(['once', false]);
    await world.runtime.start('cat-once');
    // The data root of the test world is deep: this socket path is longer than sun_path.
    expect(Buffer.byteLength(socketOf(created.id))).toBeGreaterThan(107);
    const attachment = await world.runtime.attach('cat-once');
    await attachment.write('a\n');
    await attachment.write(new TextEncoder().encode('b\n'));
    await attachment.end();
    expect((await world.runtime.wait('cat-once')).exitCode).toBe(0);
    await attachment.close();
    expect(await stdout('cat-once')).toBe('a\nb\n');
    expect(existsSync(socketOf(created.id))).toBe(false);
    await world.runtime.remove('cat-once');
  });

  it("stdin 'once': the first client leaving without ending its input closes stdin too", async () => {
    await create('cat-leave', ['cat'], { stdin: 'once' });
    await world.runtime.start('cat-leave');
    const attachment = await world.runtime.attach('cat-leave');
    await attachment.write('only\n');
    await attachment.close();
    expect((await world.runtime.wait('cat-leave')).exitCode).toBe(0);
    expect(await stdout('cat-leave')).toBe('only\n');
    await world.runtime.remove('cat-leave');
  });

  it("stdin 'open': two attachments one after the other both reach the container", async () => {
    await create('reader', ['sh', '-c', 'read x; echo got:$x; read y; echo got:$y'], { stdin: 'open' });
    await world.runtime.start('reader');
    const first = await world.runtime.attach('reader');
    await first.write('one\n');
    await first.end(); // ignored with `open`: stdin stays open for the next client
    await first.close();
    await untilLogged(world.runtime, 'reader', 'got:one');
    const second = await world.runtime.attach('reader');
    await second.write('two\n');
    await second.close();
    expect((await world.runtime.wait('reader')).exitCode).toBe(0);
    expect(await stdout('reader')).toBe('got:one\ngot:two\n');
    await world.runtime.remove('reader');
  });

  it('refuses to attach to a container without stdin or terminal, or one that is not running', async () => {
    await create('plain', ['sleep', '30'], {});
    await create('later', ['cat'], { stdin: 'open' });
    await world.runtime.start('plain');
    for (const name of ['plain', 'later']) {
      const err = await world.runtime.attach(name).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TscError);
      expect((err as TscError).code).toBe('CONTAINER_BAD_STATE');
      expect((err as TscError).hint).toBeTruthy();
    }
    expect((await world.runtime.inspect('plain')).stdin).toBe('none');
    await world.runtime.stop('plain', { timeoutMs: 100 });
    await world.runtime.remove('plain');
    await world.runtime.remove('later');
  });

  it('a terminal with stdin open: a shell keeps running, prompts, takes window sizes and input, and stops cleanly', async () => {
    const created = await create('shell', ['sh'], { stdin: 'open', tty: true });
    expect([created.stdin, created.tty]).toEqual(['open', true]);
    await world.runtime.start('shell');
    await untilLogged(world.runtime, 'shell', '/ # ');
    // The prompt has no newline: it reached the log at once, as a piece of a line.
    expect(await readFile(created.paths.logFile, 'utf8')).toMatch(/ stdout P \/ # /);
    const attachment = await world.runtime.attach('shell');
    await attachment.resize({ rows: 40, columns: 120 });
    await attachment.write('stty size; tty\n');
    await untilLogged(world.runtime, 'shell', '/dev/pts/0');
    expect(await stdout('shell')).toContain('40 120\r\n/dev/pts/0\r\n');
    await attachment.close();
    expect((await world.runtime.inspect('shell')).status).toBe('running');

    // A new run gets a new monitor, and a new socket.
    await world.runtime.restart('shell', { timeoutMs: 200 });
    const again = await world.runtime.attach('shell');
    await again.write('echo again-$((40+2))\n');
    await untilLogged(world.runtime, 'shell', 'again-42');
    await again.close();

    const stopped = await world.runtime.stop('shell', { timeoutMs: 200 });
    expect(stopped.status).toBe('exited');
    expect(existsSync(socketOf(created.id))).toBe(false);
    const err = await world.runtime.attach('shell').catch((e: unknown) => e);
    expect((err as TscError).code).toBe('CONTAINER_BAD_STATE');
    await world.runtime.remove('shell');
  });
});

// The initial window size is a plan record the runtime has no spec field for: launched on the kernel.
describe.skipIf(!nativesReady)('a terminal launched with a window size', () => {
  const kernel = new LinuxKernel({ helperPath: HELPER });
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await Sandbox.create();
  });
  afterEach(async () => {
    expect(await sandbox.cleanup(kernel)).toEqual({ alive: [], mounts: [] });
  });

  it('is the controlling terminal of the container, sized as asked, and logged raw as stdout', async () => {
    const bundle = sandbox.bundle('tty');
    const socket = join(bundle, 'attach.sock');
    const plan = dockerPlan(
      { name: 'tty', bundle, rootfs: sandbox.rootfs, args: ['sh', '-c', 'tty; stty size; test -t 0 && test -t 2 && echo both'] },
      { terminal: { rows: 30, columns: 100 }, attachSocket: socket },
    );
    sandbox.track(await kernel.launch(plan));
    expect((await waitExit(kernel, plan.exitFile)).exitCode).toBe(0);
    const records = await readLog(plan.logFile);
    expect(streamText(records, 'stdout')).toBe('/dev/pts/0\r\n30 100\r\nboth\r\n');
    expect(streamText(records, 'stderr')).toBe('');
    expect(existsSync(socket)).toBe(false);
  });

  it('fails the launch naming the step when the container has no devpts', async () => {
    const bundle = sandbox.bundle('no-pts');
    const socket = join(bundle, 'attach.sock');
    const base = dockerPlan({ name: 'no-pts', bundle, rootfs: sandbox.rootfs, args: ['true'] });
    const plan = { ...base, steps: base.steps.filter((s) => s.op !== 'mount' || s.destination !== '/dev/pts'), terminal: {}, attachSocket: socket };
    const err = await kernel.launch(plan).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TscError);
    expect(((err as TscError).cause as { step: string }).step).toBe('tty');
    expect(existsSync(socket)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import { FakeKernel } from './fake-kernel.js';
import { samplePlan } from './sample-plan.js';

describe('FakeKernel', () => {
  it('records plans and tracks a container until it exits', async () => {
    const kernel = new FakeKernel();
    const plan = samplePlan();
    const { container, monitor } = await kernel.launch(plan);
    expect(kernel.launched).toEqual([plan]);
    expect(await kernel.processAlive(container)).toBe(true);
    expect(await kernel.readExit(plan.exitFile)).toBeUndefined();
    kernel.exit(container, { exitCode: 3 });
    expect(await kernel.processAlive(container)).toBe(false);
    expect(await kernel.processAlive(monitor)).toBe(false);
    expect(await kernel.readExit(plan.exitFile)).toMatchObject({ pid: container.pid, exitCode: 3, signal: null });
  });

  it('ends a container on SIGKILL, and on SIGTERM unless told it ignores it', async () => {
    const kernel = new FakeKernel();
    kernel.ignoresTerm = true;
    const plan = samplePlan();
    const { container } = await kernel.launch(plan);
    expect(await kernel.signal(container, 'SIGTERM')).toBe(true);
    expect(await kernel.processAlive(container)).toBe(true);
    expect(await kernel.signal(container, 'SIGKILL')).toBe(true);
    expect(await kernel.readExit(plan.exitFile)).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
    expect(await kernel.signal(container, 'SIGTERM')).toBe(false);
    expect(kernel.signals.map((s) => s.signal)).toEqual(['SIGTERM', 'SIGKILL']);
  });

  it('fails the next launch as the helper would', async () => {
    const kernel = new FakeKernel();
    kernel.failNext = { step: 'exec', errno: 2, errnoName: 'ENOENT', message: 'exec: "x": executable file not found in $PATH' };
    const err = await kernel.launch(samplePlan()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TscError);
    expect((err as TscError).code).toBe('CONTAINER_START');
    expect(await kernel.launch(samplePlan())).toHaveProperty('container');
  });
});

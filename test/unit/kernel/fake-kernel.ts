import { TscError } from '../../../src/errors/index.js';
import type { ExitStatus, Kernel, LaunchFailure, LaunchResult, ProcessRef } from '../../../src/kernel/kernel.js';
import type { LaunchPlan } from '../../../src/kernel/launch-plan.js';

/**
 * A Kernel that runs nothing: it records the plans it is given, hands out pids, and lets a test decide
 * when a container exits. Signals are recorded; SIGKILL (and SIGTERM unless `ignoresTerm`) end the container.
 */
export class FakeKernel implements Kernel {
  readonly launched: LaunchPlan[] = [];
  readonly signals: { pid: number; signal: NodeJS.Signals }[] = [];
  /** The next launch fails as the helper would report it. */
  failNext: LaunchFailure | undefined;
  ignoresTerm = false;
  private nextPid = 1000;
  private readonly running = new Map<number, { plan: LaunchPlan; ref: ProcessRef }>();
  private readonly exits = new Map<string, ExitStatus>();

  async launch(plan: LaunchPlan): Promise<LaunchResult> {
    this.launched.push(plan);
    const failure = this.failNext;
    if (failure !== undefined) {
      this.failNext = undefined;
      throw new TscError(failure.step === 'exec' ? 'CONTAINER_START' : 'KERNEL', `start \`${plan.name}\`: ${failure.message}`, { cause: failure });
    }
    const monitor = { pid: this.nextPid++, startTime: 1 };
    const container = { pid: this.nextPid++, startTime: 2 };
    this.running.set(container.pid, { plan, ref: container });
    this.running.set(monitor.pid, { plan, ref: monitor });
    return { container, monitor };
  }

  /** Ends the container as if its process exited with `code` or was killed by `signal`. */
  exit(ref: ProcessRef, end: { exitCode: number } | { signal: NodeJS.Signals }): void {
    const entry = this.running.get(ref.pid);
    if (entry === undefined) throw new Error(`fake kernel: pid ${ref.pid} is not running`);
    for (const [pid, e] of this.running) if (e.plan === entry.plan) this.running.delete(pid);
    this.exits.set(entry.plan.exitFile, {
      pid: ref.pid, startTime: ref.startTime, coreDumped: false, time: '1970-01-01T00:00:00.000000000Z',
      exitCode: 'exitCode' in end ? end.exitCode : null, signal: 'signal' in end ? end.signal : null,
    });
  }

  async processAlive(ref: ProcessRef): Promise<boolean> {
    return this.running.get(ref.pid)?.ref.startTime === ref.startTime;
  }

  async signal(ref: ProcessRef, signal: NodeJS.Signals): Promise<boolean> {
    if (!(await this.processAlive(ref))) return false;
    this.signals.push({ pid: ref.pid, signal });
    if (signal === 'SIGKILL' || (signal === 'SIGTERM' && !this.ignoresTerm)) this.exit(ref, { signal });
    return true;
  }

  async readExit(exitFile: string): Promise<ExitStatus | undefined> {
    return this.exits.get(exitFile);
  }
}

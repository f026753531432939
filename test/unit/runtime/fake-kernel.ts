import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { constants } from 'node:os';
import { TscError } from '../../../src/errors/index.js';
import type { ExitStatus, Kernel, LaunchResult, ProcessRef } from '../../../src/kernel/kernel.js';
import type { LaunchPlan } from '../../../src/kernel/launch-plan.js';
import { writeFileAtomic } from '../../../src/util/atomic-file.js';
import type { Clock } from '../../../src/util/clock.js';

/** A clock whose time moves only when someone sleeps on it. */
export class FakeClock implements Clock {
  private ms = Date.parse('2024-05-01T12:00:00.000Z');
  private mono = 0;

  now(): number {
    return this.ms;
  }

  monotonic(): number {
    return this.mono;
  }

  advance(ms: number): void {
    this.ms += ms;
    this.mono += ms;
  }

  readonly sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    signal?.throwIfAborted();
    this.advance(ms);
    await new Promise((r) => setImmediate(r));
    signal?.throwIfAborted();
  };
}

interface FakeProcess {
  readonly plan: LaunchPlan;
  readonly container: ProcessRef;
  readonly monitor: ProcessRef;
  alive: boolean;
  monitorAlive: boolean;
  /** Signals it ends on; SIGKILL always ends it. */
  readonly endsOn: ReadonlySet<string>;
}

const TERMINATING = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'];

/**
 * The kernel in memory, running a small subset of the probe's commands (`echo`, `echo-err`, `exit`,
 * `sleep` (until a signal ends it), `ignore-term`, joined by `then`) with the probe's output. Like the real monitor, it writes JSON-lines log records and
 * the exit file to the plan's paths, so the runtime reads them as it would on a real machine.
 */
export class FakeKernel implements Kernel {
  readonly launched: LaunchPlan[] = [];
  readonly signals: { pid: number; signal: string }[] = [];
  private readonly processes = new Map<number, FakeProcess>();
  private nextPid = 1000;
  private failure: Error | undefined;

  constructor(private readonly clock: Clock, private readonly executables: readonly string[] = ['probe']) {}

  /** The next launch fails with this error. */
  failNextLaunch(error: Error): void {
    this.failure = error;
  }

  async launch(plan: LaunchPlan): Promise<LaunchResult> {
    this.launched.push(plan);
    const failure = this.failure;
    this.failure = undefined;
    if (failure !== undefined) throw failure;
    const [file, ...rest] = plan.args;
    if (file === undefined || !this.executables.includes(file)) {
      throw new TscError('CONTAINER_START', `start \`${plan.name}\`: exec: "${file}": executable file not found in $PATH`, {
        hint: 'check the command', cause: { step: 'exec', errno: 2, errnoName: 'ENOENT', message: 'not found' },
      });
    }
    const container = { pid: this.nextPid++, startTime: 5000 + this.nextPid };
    const monitor = { pid: this.nextPid++, startTime: 5000 + this.nextPid };
    await mkdir(dirname(plan.logFile), { recursive: true });
    const endsOn = new Set(TERMINATING);
    const proc: FakeProcess = { plan, container, monitor, alive: true, monitorAlive: true, endsOn };
    this.processes.set(container.pid, proc);
    await this.run(proc, rest);
    return { container, monitor };
  }

  private async run(proc: FakeProcess, args: readonly string[]): Promise<void> {
    const commands: string[][] = [[]];
    for (const a of args) {
      if (a === 'then') commands.push([]);
      else commands[commands.length - 1]?.push(a);
    }
    for (const [cmd, ...words] of commands) {
      if (cmd === 'echo' || cmd === 'echo-err') await this.write(proc, cmd === 'echo' ? 'stdout' : 'stderr', `${words.join(' ')}\n`);
      else if (cmd === 'exit') return this.exit(proc, Number(words[0]), null);
      else if (cmd === 'sleep') return this.write(proc, 'stdout', `sleeping ${words[0]}\n`);
      else if (cmd === 'ignore-term') {
        (proc.endsOn as Set<string>).delete('SIGTERM');
        return this.write(proc, 'stdout', 'ignoring SIGTERM\n');
      }
    }
    return this.exit(proc, 0, null);
  }

  private find(proc: FakeProcess | ProcessRef): FakeProcess {
    if ('plan' in proc) return proc;
    const p = this.processes.get(proc.pid);
    if (p === undefined) throw new Error(`no fake process ${proc.pid}`);
    return p;
  }

  /** Appends one log record, as the monitor does for a line the container wrote. */
  async write(proc: FakeProcess | ProcessRef, stream: 'stdout' | 'stderr', text: string): Promise<void> {
    const p = this.find(proc);
    const time = new Date(this.clock.now()).toISOString().replace('Z', '000000Z');
    await appendFile(p.plan.logFile, `${JSON.stringify({ log: text, stream, time })}\n`);
  }

  /** Ends a running fake process on its own, as if it exited with `code`. */
  async exit(proc: FakeProcess | ProcessRef, code: number | null, signal: string | null): Promise<void> {
    const p = this.find(proc);
    if (!p.alive) return;
    p.alive = false;
    const exit: ExitStatus = {
      pid: p.container.pid, startTime: p.container.startTime, exitCode: code, signal, coreDumped: false,
      time: new Date(this.clock.now()).toISOString(),
    };
    await writeFileAtomic(p.plan.exitFile, JSON.stringify(exit));
    p.monitorAlive = false;
  }

  /** Both processes vanish without an exit file, as when the monitor is SIGKILLed with its container. */
  crash(ref: ProcessRef): void {
    const p = this.processes.get(ref.pid);
    if (p !== undefined) {
      p.alive = false;
      p.monitorAlive = false;
    }
  }

  /** Live container processes. */
  running(): ProcessRef[] {
    return [...this.processes.values()].filter((p) => p.alive).map((p) => p.container);
  }

  async processAlive(ref: ProcessRef): Promise<boolean> {
    for (const p of this.processes.values()) {
      if (p.container.pid === ref.pid && p.container.startTime === ref.startTime) return p.alive;
      if (p.monitor.pid === ref.pid && p.monitor.startTime === ref.startTime) return p.monitorAlive;
    }
    return false;
  }

  async signal(ref: ProcessRef, signal: NodeJS.Signals): Promise<boolean> {
    const p = this.processes.get(ref.pid);
    if (p === undefined || p.container.startTime !== ref.startTime || !p.alive) return false;
    this.signals.push({ pid: ref.pid, signal });
    if (signal === 'SIGKILL') await this.exit(p, null, 'SIGKILL');
    else if (signal === 'SIGUSR1' || signal === 'SIGUSR2') await this.write(p, 'stdout', `signal ${constants.signals[signal]}\n`);
    else if (p.endsOn.has(signal)) {
      await this.write(p, 'stdout', `signal ${constants.signals[signal]}\n`);
      await this.exit(p, 128 + constants.signals[signal], null);
    }
    return true;
  }

  async readExit(exitFile: string): Promise<ExitStatus | undefined> {
    try {
      return JSON.parse(await readFile(exitFile, 'utf8')) as ExitStatus;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }
}

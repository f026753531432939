import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TscError } from '../../errors/index.js';
import type { ExecIo, ExecOutcome, ExecPlan } from '../exec-plan.js';
import type { ExitStatus, Kernel, LaunchOptions, LaunchResult, ProcessRef } from '../kernel.js';
import type { LaunchPlan } from '../launch-plan.js';
import { parseExitFile } from './exit-file.js';
import { runExec } from './exec-process.js';
import { runHelper } from './helper-process.js';
import { parseLaunchOutput } from './helper-result.js';
import { PLAN_FILE, serializePlan } from './plan-writer.js';
import { isRunning, readProcStat } from './proc-stat.js';

export interface LinuxKernelOptions {
  /** Path of build/native/tsc-helper. */
  readonly helperPath: string;
  /** Deadline of one helper run; default 10 s. */
  readonly timeoutMs?: number;
  /** Between SIGTERM and SIGKILL of a helper past its deadline; default 1 s. */
  readonly killGraceMs?: number;
  /** Where procfs is; default /proc. */
  readonly procRoot?: string;
}

/** The real kernel: runs containers through the native helper and reads /proc. */
export class LinuxKernel implements Kernel {
  private readonly helperPath: string;
  private readonly timeoutMs: number;
  private readonly killGraceMs: number;
  private readonly procRoot: string;

  constructor(options: LinuxKernelOptions) {
    this.helperPath = options.helperPath;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.killGraceMs = options.killGraceMs ?? 1_000;
    this.procRoot = options.procRoot ?? '/proc';
  }

  async launch(plan: LaunchPlan, options: LaunchOptions = {}): Promise<LaunchResult> {
    const text = serializePlan(plan);
    await mkdir(plan.bundle, { recursive: true });
    await writeFile(join(plan.bundle, PLAN_FILE), text, { mode: 0o600 });
    const run = await runHelper(this.helperPath, ['run', plan.bundle], {
      timeoutMs: options.timeoutMs ?? this.timeoutMs,
      killGraceMs: this.killGraceMs,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    return parseLaunchOutput(plan.name, run);
  }

  async processAlive(ref: ProcessRef): Promise<boolean> {
    return isRunning(await readProcStat(this.procRoot, ref.pid), ref.startTime);
  }

  async signal(ref: ProcessRef, signal: NodeJS.Signals): Promise<boolean> {
    if (!(await this.processAlive(ref))) return false;
    try {
      process.kill(ref.pid, signal);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ESRCH') return false;
      throw new TscError(code === 'EPERM' ? 'KERNEL_EPERM' : 'KERNEL', `send ${signal} to pid ${ref.pid}: ${code ?? String(err)}`, {
        hint: 'signalling a container needs the rights of its owner (root)',
        cause: err,
      });
    }
  }

  exec(plan: ExecPlan, io: ExecIo): Promise<ExecOutcome> {
    return runExec({ helperPath: this.helperPath, procRoot: this.procRoot, signal: (ref, sig) => this.signal(ref, sig) }, plan, io);
  }

  async readExit(exitFile: string): Promise<ExitStatus | undefined> {
    let text: string;
    try {
      text = await readFile(exitFile, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return parseExitFile(exitFile, text);
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, type World } from './world.js';

/** A CLI run that goes on while the test acts (`logs -f`, attached `up`): its output so far, waits on it, its end. */
export class LiveCli {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private ended = false;
  private waiters: Array<() => void> = [];

  constructor(world: World, args: string[], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [CLI, ...args], { cwd: world.dir, env: { ...world.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (d: Buffer) => this.feed('stdout', d));
    this.child.stderr?.on('data', (d: Buffer) => this.feed('stderr', d));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => {
      this.ended = true;
      this.wake();
      resolve(code);
    }));
  }

  /** Resolves once the output matches (or rejects when the process ends first). */
  async until(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<void> {
    while (!pattern.test(this[stream])) {
      if (this.ended) throw new Error(`exited before ${stream} matched ${pattern}:\n${this.stdout}\n${this.stderr}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Kills the run (by its pid) when it is still going. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private feed(stream: 'stdout' | 'stderr', data: Buffer): void {
    this[stream] += data.toString();
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

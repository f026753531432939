import { spawn } from 'node:child_process';
import { TscError } from '../../errors/index.js';

export interface HelperRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface HelperRunOptions {
  readonly timeoutMs: number;
  /** After the deadline: SIGTERM, then SIGKILL this much later. */
  readonly killGraceMs: number;
  readonly signal?: AbortSignal;
}

/**
 * Runs the native helper with an empty environment, a deadline and SIGTERM→SIGKILL escalation.
 * Resolves with what it printed and how it ended; rejects on timeout, abort or when it cannot be started.
 */
export function runHelper(file: string, args: readonly string[], options: HelperRunOptions): Promise<HelperRun> {
  return new Promise((resolve, reject) => {
    options.signal?.throwIfAborted();
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env: {} });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let failure: unknown;
    let killTimer: NodeJS.Timeout | undefined;

    const stop = (reason: unknown): void => {
      if (failure !== undefined) return;
      failure = reason;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), options.killGraceMs);
    };
    const deadline = setTimeout(() => {
      stop(new TscError('TIMEOUT', `native helper \`${args.join(' ')}\` did not finish within ${options.timeoutMs} ms`, {
        hint: 'the machine may be overloaded, or a mount is hanging; look at `dmesg`',
      }));
    }, options.timeoutMs);
    const onAbort = (): void => stop(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    child.on('error', (err: NodeJS.ErrnoException) => {
      failure ??= new TscError('NATIVE_MISSING', `cannot run the native helper \`${file}\`: ${err.code ?? err.message}`, {
        hint: 'build it with `npm run build` (needs a C compiler)',
        cause: err,
      });
    });
    const finish = (): void => {
      clearTimeout(deadline);
      if (killTimer !== undefined) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    // A stopped helper is done when it exits, even if something it forked still holds its pipes.
    child.on('exit', () => {
      if (failure === undefined) return;
      finish();
      child.stdout.destroy();
      child.stderr.destroy();
      reject(failure);
    });
    child.on('close', (exitCode, signal) => {
      finish();
      if (failure !== undefined) reject(failure);
      else resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), exitCode, signal });
    });
  });
}

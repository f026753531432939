import { spawn } from 'node:child_process';
import { TscError } from '../../errors/index.js';

export interface ToolRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
}

/** The directories tools are looked up in: the PATH they run with. */
export const TOOL_DIRS: readonly string[] = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export interface ToolOptions {
  /** Written to the tool's stdin (e.g. an `ip -batch -` script). */
  readonly input?: string;
  /** Default 20 s; then SIGTERM, and SIGKILL a second later. */
  readonly timeoutMs?: number;
}

/**
 * Runs a system tool (iproute2, util-linux) with a deadline and SIGTERM→SIGKILL escalation. Resolves
 * with what it printed and its exit code; rejects only when it cannot be started or overruns.
 */
export function runTool(file: string, args: readonly string[], options: ToolOptions = {}): Promise<ToolRun> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: TOOL_DIRS.join(':'), LC_ALL: 'C' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let failure: unknown;
    let killTimer: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => {
      failure = new TscError('TIMEOUT', `\`${file} ${args.join(' ')}\` did not finish within ${timeoutMs} ms`, {
        hint: 'the machine may be overloaded; try again',
      });
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 1000);
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => undefined);
    child.on('error', (e: NodeJS.ErrnoException) => {
      failure ??= new TscError('KERNEL', `cannot run \`${file}\`: ${e.code ?? e.message}`, {
        hint: file.endsWith('ip') ? 'install iproute2' : 'install util-linux',
        cause: e,
      });
    });
    child.on('close', (exitCode) => {
      clearTimeout(deadline);
      if (killTimer !== undefined) clearTimeout(killTimer);
      if (failure !== undefined) reject(failure);
      else resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode });
    });
    child.stdin.end(options.input ?? '');
  });
}

export interface FailureHints {
  /** For a refusal (the tool's message matches `deniedBy`, default "Operation not permitted"). */
  readonly denied: string;
  /** For any other failure. */
  readonly other: string;
  readonly deniedBy?: RegExp;
}

/**
 * The error for a tool run that failed: `KERNEL_EPERM` when it was refused, else `KERNEL`, naming
 * `what` and the last lines the tool printed (or its exit code).
 */
export function toolFailure(what: string, run: Pick<ToolRun, 'stderr' | 'exitCode'>, hints: FailureHints): TscError {
  const detail = run.stderr.trim().split('\n').filter((l) => l !== '').slice(-2).join('; ') || `exit code ${String(run.exitCode)}`;
  const denied = (hints.deniedBy ?? /Operation not permitted/).test(run.stderr);
  return new TscError(denied ? 'KERNEL_EPERM' : 'KERNEL', `${what}: ${detail}`, { hint: denied ? hints.denied : hints.other });
}

/** Runs the tool and throws a `KERNEL` TscError naming `what` and the tool's message when it fails. */
export async function mustRun(what: string, file: string, args: readonly string[], options: ToolOptions = {}): Promise<string> {
  const run = await runTool(file, args, options);
  if (run.exitCode !== 0) {
    throw toolFailure(what, run, {
      denied: 'networks need root (CAP_NET_ADMIN and CAP_SYS_ADMIN)',
      other: 'look at `ip -d link` and `dmesg` for the cause',
    });
  }
  return run.stdout;
}

import { spawn, type StdioOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { TscError } from '../../errors/index.js';
import type { ExecIo, ExecOutcome, ExecPlan } from '../exec-plan.js';
import type { ProcessRef } from '../kernel.js';
import { execFailure, readExecLine, type ExecReport } from './exec-result.js';
import { signalName } from './exit-file.js';
import { serializeExecPlan } from './exec-plan-writer.js';
import { readCgroupDirs } from './target-cgroups.js';

export interface ExecRunnerDeps {
  readonly helperPath: string;
  readonly procRoot: string;
  /** Sends a signal to a process if it is still the one named. */
  readonly signal: (ref: ProcessRef, signal: NodeJS.Signals) => Promise<boolean>;
}

/** After the helper exited, how long its stdout/stderr may stay open (held by what the command left behind). */
const STREAM_GRACE_MS = 2_000;
const DEFAULT_MAX_OUTPUT = 4096;

/** Keeps the first `max` bytes of a stream and reads (discarding) the rest. */
function collect(stream: Readable | null, max: number): () => string {
  const chunks: Buffer[] = [];
  let size = 0;
  stream?.on('data', (b: Buffer) => {
    if (size < max) chunks.push(b.subarray(0, max - size));
    size += b.length;
  });
  return () => Buffer.concat(chunks).toString('utf8');
}

function stdioOf(io: ExecIo): StdioOptions {
  const out = io.output === 'capture' ? 'pipe' : io.output;
  return [io.stdin, out, out, 'pipe'];
}

async function targetCgroups(deps: ExecRunnerDeps, plan: ExecPlan): Promise<readonly string[]> {
  if (plan.cgroups !== undefined) return plan.cgroups;
  try {
    return await readCgroupDirs(deps.procRoot, plan.target.pid);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw execFailure(plan.name, { step: 'target', errno: 3, errnoName: 'ESRCH', message: `the container's process ${plan.target.pid} is gone` });
  }
}

/**
 * Runs `tsc-helper exec` on a plan file in the container's directory: stdio as `io` says, results on fd 3.
 * Resolves with how the command ended (or, detached, once it exec'd); throws what the helper reported
 * when it could not start the command. A deadline or an abort kills the command, never the container.
 */
export async function runExec(deps: ExecRunnerDeps, plan: ExecPlan, io: ExecIo): Promise<ExecOutcome> {
  io.signal?.throwIfAborted();
  const text = serializeExecPlan(plan, await targetCgroups(deps, plan), deps.procRoot);
  await mkdir(plan.dir, { recursive: true });
  const file = join(plan.dir, `exec-${process.pid}-${randomBytes(6).toString('hex')}.plan`);
  await writeFile(file, text, { mode: 0o600 });
  try {
    return await spawnHelper(deps, plan, io, file);
  } finally {
    await rm(file, { force: true });
  }
}

function spawnHelper(deps: ExecRunnerDeps, plan: ExecPlan, io: ExecIo, file: string): Promise<ExecOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(deps.helperPath, ['exec', file], { stdio: stdioOf(io), env: {} });
    const max = io.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
    const stdout = io.output === 'capture' ? collect(child.stdout, max) : undefined;
    const stderr = io.output === 'capture' ? collect(child.stderr, max) : undefined;
    const report: ExecReport = {};
    let pending = '';
    let timedOut = false;
    let spawnError: Error | undefined;
    let grace: NodeJS.Timeout | undefined;

    const results = child.stdio[3] as Readable;
    results.setEncoding('utf8');
    results.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        readExecLine(report, pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    });
    if (io.stdin === 'pipe') {
      const stdin = child.stdin as Writable;
      stdin.on('error', () => undefined); // the command may exit without reading it all
      stdin.end(io.input ?? '');
    }

    const kill = (): void => {
      if (report.started !== undefined) void deps.signal(report.started, 'SIGKILL').catch(() => undefined);
      else child.kill('SIGKILL');
    };
    const deadline = io.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      kill();
    }, io.timeoutMs);
    const onAbort = (): void => kill();
    io.signal?.addEventListener('abort', onAbort, { once: true });
    // The helper passes them on to the command (a window change as the pty's new size).
    const unsubscribe = io.signals?.subscribe((sig) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    });

    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError = new TscError('NATIVE_MISSING', `cannot run the native helper \`${deps.helperPath}\`: ${err.code ?? err.message}`, {
        hint: 'build it with `npm run build` (needs a C compiler)',
        cause: err,
      });
    });
    child.on('exit', () => {
      grace = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        results.destroy();
      }, STREAM_GRACE_MS);
    });
    child.on('close', (code, sig) => {
      if (deadline !== undefined) clearTimeout(deadline);
      if (grace !== undefined) clearTimeout(grace);
      io.signal?.removeEventListener('abort', onAbort);
      unsubscribe?.();
      if (pending !== '') readExecLine(report, pending);
      if (spawnError !== undefined) return reject(spawnError);
      if (report.failure !== undefined) return reject(execFailure(plan.name, report.failure));
      if (report.started === undefined) {
        const how = sig !== null ? `was killed by ${sig}` : `exited with ${code ?? '?'}`;
        return reject(new TscError('INTERNAL', `exec in \`${plan.name}\`: the native helper ${how} without a report`, {
          hint: 'this is a bug in tscompose or its helper; please report it with this message',
        }));
      }
      // No exit report: a detached exec succeeded once started; any other ended as the helper did.
      const { exit } = report;
      resolve({
        process: report.started,
        exitCode: exit !== undefined ? exit.exitCode : plan.detach ? 0 : null,
        signal: exit !== undefined ? (exit.signal === null ? null : signalName(exit.signal)) : plan.detach ? null : sig,
        timedOut,
        ...(stdout === undefined ? {} : { stdout: stdout() }),
        ...(stderr === undefined ? {} : { stderr: stderr() }),
      });
    });
  });
}

import { describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import { runHelper } from '../../../src/kernel/linux/helper-process.js';

const node = process.execPath;
const opts = { timeoutMs: 5_000, killGraceMs: 100 };

describe('runHelper', () => {
  it('returns what the program printed and how it exited', async () => {
    const run = await runHelper(node, ['-e', 'console.log("out"); console.error("err"); process.exit(3)'], opts);
    expect(run).toEqual({ stdout: 'out\n', stderr: 'err\n', exitCode: 3, signal: null });
  });

  it('gives the program an empty environment', async () => {
    const run = await runHelper(node, ['-e', 'console.log(JSON.stringify(Object.keys(process.env)))'], opts);
    expect(JSON.parse(run.stdout)).toEqual([]);
  });

  it('stops a program past its deadline with SIGTERM', async () => {
    const started = performance.now();
    const err = await runHelper(node, ['-e', 'setInterval(() => {}, 1000)'], { ...opts, timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TscError);
    expect((err as TscError).code).toBe('TIMEOUT');
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('escalates to SIGKILL when the program ignores SIGTERM', async () => {
    const script = 'process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000)';
    const started = performance.now();
    const err = await runHelper(node, ['-e', script], { timeoutMs: 300, killGraceMs: 200 }).catch((e: unknown) => e);
    expect((err as TscError).code).toBe('TIMEOUT');
    expect(performance.now() - started).toBeGreaterThanOrEqual(450);
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('rejects with the abort reason when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = runHelper(node, ['-e', 'setInterval(() => {}, 1000)'], { ...opts, signal: controller.signal });
    const reason = new Error('caller gave up');
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
  });

  it('says NATIVE_MISSING when the helper is not built', async () => {
    const err = await runHelper('/nonexistent/tsc-helper', ['run', '/b'], opts).catch((e: unknown) => e);
    expect((err as TscError).code).toBe('NATIVE_MISSING');
    expect((err as TscError).message).toBe('cannot run the native helper `/nonexistent/tsc-helper`: ENOENT');
  });
});

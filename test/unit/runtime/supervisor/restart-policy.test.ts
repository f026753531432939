import { describe, expect, it } from 'vitest';
import { decideRestart, parseRestartValue, type Ending, type RestartMemory, type RestartPolicy } from '../../../../src/runtime/supervisor/restart-policy.js';

const fresh: RestartMemory = { attempts: 0, backoffMs: 0 };
const crash: Ending = { exitCode: 1, signal: null, ranMs: 50, stoppedByUser: false };
const clean: Ending = { ...crash, exitCode: 0 };

/** The pauses of `n` restarts in a row of runs lasting `ranMs`, or undefined where the policy stops. */
function pauses(policy: RestartPolicy, n: number, ending: Ending = crash): (number | undefined)[] {
  let memory = fresh;
  const out: (number | undefined)[] = [];
  for (let i = 0; i < n; i++) {
    const decision = decideRestart(policy, ending, memory);
    out.push(decision.restart ? decision.delayMs : undefined);
    if (decision.restart) memory = decision.memory;
  }
  return out;
}

describe('restart decisions', () => {
  it('never restarts under "no", nor a container the user stopped', () => {
    expect(decideRestart({ name: 'no' }, crash, fresh).restart).toBe(false);
    for (const name of ['always', 'unless-stopped', 'on-failure'] as const) {
      expect(decideRestart({ name }, { ...crash, stoppedByUser: true }, fresh).restart).toBe(false);
    }
  });

  it('always and unless-stopped restart after any exit; on-failure only after a failure (a signal counts)', () => {
    expect(decideRestart({ name: 'always' }, clean, fresh).restart).toBe(true);
    expect(decideRestart({ name: 'unless-stopped' }, clean, fresh).restart).toBe(true);
    expect(decideRestart({ name: 'on-failure' }, clean, fresh).restart).toBe(false);
    expect(decideRestart({ name: 'on-failure' }, crash, fresh).restart).toBe(true);
    expect(decideRestart({ name: 'on-failure' }, { ...crash, exitCode: null, signal: 'SIGKILL' }, fresh).restart).toBe(true);
  });

  it('backs off from 100 ms, doubling up to a minute', () => {
    expect(pauses({ name: 'always' }, 12)).toEqual([100, 200, 400, 800, 1_600, 3_200, 6_400, 12_800, 25_600, 51_200, 60_000, 60_000]);
  });

  it('resets the back-off after a run of 10 s or more', () => {
    const first = decideRestart({ name: 'always' }, crash, { attempts: 5, backoffMs: 3_200 });
    expect(first.restart && first.delayMs).toBe(6_400);
    const after = decideRestart({ name: 'always' }, { ...crash, ranMs: 10_000 }, { attempts: 5, backoffMs: 3_200 });
    expect(after.restart && after.delayMs).toBe(100);
  });

  it('gives up after on-failure:N restarts', () => {
    expect(pauses({ name: 'on-failure', maxRetries: 3 }, 5)).toEqual([100, 200, 400, undefined, undefined]);
    expect(pauses({ name: 'on-failure', maxRetries: 0 }, 4).every((p) => p !== undefined)).toBe(true);
  });

  it('deploy.restart_policy: a fixed delay, max_attempts for any condition, and a window that starts the count over', () => {
    expect(pauses({ name: 'always', delayMs: 2_000, maxRetries: 2 }, 3)).toEqual([2_000, 2_000, undefined]);
    const spent: RestartMemory = { attempts: 2, backoffMs: 200 };
    expect(decideRestart({ name: 'on-failure', maxRetries: 2, windowMs: 1_000 }, { ...crash, ranMs: 500 }, spent).restart).toBe(false);
    const lasted = decideRestart({ name: 'on-failure', maxRetries: 2, windowMs: 1_000 }, { ...crash, ranMs: 1_500 }, spent);
    expect(lasted).toMatchObject({ restart: true, memory: { attempts: 1 } });
  });

  it('parses restart: values as Compose writes them', () => {
    expect(parseRestartValue('no')).toEqual({ name: 'no' });
    expect(parseRestartValue('unless-stopped')).toEqual({ name: 'unless-stopped' });
    expect(parseRestartValue('on-failure:3')).toEqual({ name: 'on-failure', maxRetries: 3 });
    expect(parseRestartValue('always:3')).toBeUndefined();
    expect(parseRestartValue('sometimes')).toBeUndefined();
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import type { LaunchPlan } from '../../../src/kernel/launch-plan.js';
import { PLAN_FILE, serializePlan } from '../../../src/kernel/linux/plan-writer.js';
import { samplePlan } from './sample-plan.js';

// The records of init, sysctls and log rotation, written by TypeScript and read back by the helper.
const HELPER = join(resolve(import.meta.dirname, '../../..'), 'build/native/tsc-helper');

function parsed(text: string): { status: number | null; json: Record<string, unknown> } {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-plan-'));
  try {
    writeFileSync(join(dir, PLAN_FILE), text);
    const out = spawnSync(HELPER, ['plan', dir], { encoding: 'utf8' });
    return { status: out.status, json: JSON.parse(out.stdout) as Record<string, unknown> };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('plan records for init, sysctls and log rotation', () => {
  const base: LaunchPlan = samplePlan();
  const plan: LaunchPlan = {
    ...base,
    init: true,
    sysctls: { 'net.ipv4.ip_forward': '1', 'kernel.sem': '250 32000 32 128' },
    logRotation: { maxSizeBytes: 10 * 1024 * 1024, maxFiles: 3 },
  };

  it('writes them after the process records', () => {
    const text = serializePlan(plan);
    expect(text).toContain('\ninit\nsysctl net.ipv4.ip_forward 1\nsysctl kernel.sem 250\\s32000\\s32\\s128\nlog-max-size 10485760\nlog-max-files 3\n');
    expect(serializePlan(base)).not.toMatch(/^(init|sysctl|log-max-size|log-max-files)\b/m);
  });

  it('is read back by the helper as written', () => {
    const { status, json } = parsed(serializePlan(plan));
    expect(status).toBe(0);
    expect(json.init).toBe(true);
    expect(json.sysctls).toEqual(plan.sysctls);
    expect(json.logRotation).toEqual({ maxSizeBytes: 10 * 1024 * 1024, maxFiles: 3 });
    const plain = parsed(serializePlan(base)).json;
    expect([plain.init, plain.sysctls, plain.logRotation]).toEqual([undefined, undefined, undefined]);
  });

  it('refuses bad values on both sides', () => {
    expect(() => serializePlan({ ...base, sysctls: { '../x': '1' } })).toThrow(TscError);
    expect(() => serializePlan({ ...base, logRotation: { maxSizeBytes: 0, maxFiles: 3 } })).toThrow(TscError);
    expect(() => serializePlan({ ...base, logRotation: { maxSizeBytes: 10, maxFiles: 0 } })).toThrow(TscError);
    const text = serializePlan(base);
    for (const bad of ['sysctl ../etc/x 1', 'sysctl a/b 1', 'log-max-size 0', 'log-max-files 0', 'log-max-size 1k', 'init now']) {
      const out = parsed(`${text}${bad}\n`);
      expect(out.status).toBe(1);
      expect(out.json).toMatchObject({ ok: false, step: 'plan' });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { TscError } from '../../../../src/errors/index.js';
import { parseHealthSection } from '../../../../src/runtime/supervisor/health-section.js';
import { parseRestartSection } from '../../../../src/runtime/supervisor/restart-section.js';

const CHECK = { command: ['CMD', 'true'], intervalMs: 1000, timeoutMs: 500, retries: 3, startPeriodMs: 0, startIntervalMs: 100 };
const POLICY = { name: 'on-failure', maxRetries: 3 };

function refusal(parse: () => unknown): TscError {
  try {
    parse();
  } catch (err) {
    if (err instanceof TscError) return err;
    throw err;
  }
  throw new Error('expected a TscError');
}

describe('the health and restart sections of supervisor.json', () => {
  it('read an absent section as no containers and give a valid one back as written', () => {
    expect(parseHealthSection(undefined)).toEqual({ containers: [] });
    expect(parseRestartSection(undefined)).toEqual({ containers: [] });
    const health = { containers: [{ id: 'a'.repeat(64), check: CHECK }] };
    const restart = { containers: [{ id: 'b'.repeat(64), policy: POLICY }, { id: 'c'.repeat(64), policy: { name: 'no' } }] };
    expect(parseHealthSection(health)).toEqual(health);
    expect(parseRestartSection(restart)).toEqual(restart);
  });

  it.each<[string, unknown, string]>([
    ['not an object', 7, '`containers` must be a list'],
    ['no list', { containers: {} }, '`containers` must be a list'],
    ['an entry without id', { containers: [{ check: CHECK, policy: POLICY }] }, 'entry 0 is not'],
    ['a bad second entry', { containers: [{ id: 'x', check: CHECK, policy: POLICY }, { id: 'y', check: { ...CHECK, retries: -1 }, policy: { name: 'sometimes' } }] }, 'entry 1 is not'],
  ])('refuse %s with SUPERVISOR naming the section', (_what, value, says) => {
    const health = refusal(() => parseHealthSection(value));
    const restart = refusal(() => parseRestartSection(value));
    expect([health.code, restart.code]).toEqual(['SUPERVISOR', 'SUPERVISOR']);
    expect(health.message).toContain('section `health`');
    expect(health.message).toContain(says);
    expect(restart.message).toContain('section `restart`');
    expect(restart.message).toContain(says);
    expect(health.hint).toMatch(/tscompose up/);
  });

  it('name the setting each entry needs', () => {
    expect(refusal(() => parseHealthSection({ containers: [{ id: 'x', policy: POLICY }] })).message).toContain('{id, check}');
    expect(refusal(() => parseRestartSection({ containers: [{ id: 'x', check: CHECK }] })).message).toContain('{id, policy}');
  });
});

import { describe, expect, it } from 'vitest';
import { canonicalService, thrownBy } from './helpers.js';

const dependsOn = (value: string): unknown =>
  canonicalService(`services:\n  web:\n    image: x\n    depends_on: ${value}\n`).depends_on;

describe('canonical depends_on', () => {
  it('turns a list into a mapping of started, required dependencies', () => {
    expect(dependsOn('[db, cache]')).toEqual({
      db: { condition: 'service_started', required: true },
      cache: { condition: 'service_started', required: true },
    });
  });

  it('fills condition and required in the mapping form and keeps restart', () => {
    expect(dependsOn('{db: {condition: service_healthy, restart: true}, job: {required: false}, x: null}')).toEqual({
      db: { condition: 'service_healthy', restart: true, required: true },
      job: { condition: 'service_started', required: false },
      x: { condition: 'service_started', required: true },
    });
  });

  it('rejects an entry that is neither a name nor a mapping', () => {
    const err = thrownBy(() => dependsOn('{db: 3}'));
    expect(err.code).toBe('COMPOSE_INVALID');
    expect(err.path).toBe('services.web.depends_on.db');
  });
});

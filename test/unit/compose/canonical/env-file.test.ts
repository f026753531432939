import { describe, expect, it } from 'vitest';
import { canonicalService } from './helpers.js';

const envFile = (value: string): unknown => canonicalService(`services:\n  web:\n    image: x\n    env_file: ${value}\n`).env_file;

describe('canonical env_file', () => {
  it('turns one path into a list of one required entry', () => {
    expect(envFile('.env')).toEqual([{ path: '.env', required: true }]);
  });

  it('turns each listed path into a required entry and keeps long entries', () => {
    expect(envFile('[a.env, {path: b.env, required: false}, {path: c.env, format: raw}]')).toEqual([
      { path: 'a.env', required: true },
      { path: 'b.env', required: false },
      { path: 'c.env', required: true, format: 'raw' },
    ]);
  });
});

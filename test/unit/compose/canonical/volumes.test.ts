import { describe, expect, it } from 'vitest';
import { canonicalService, thrownBy } from './helpers.js';

const volumes = (list: string): unknown => canonicalService(`services:\n  web:\n    image: x\n    volumes: ${list}\n`).volumes;

describe('canonical service volumes', () => {
  it('makes a source starting with ., / or ~ a bind mount that creates its host path', () => {
    expect(volumes('["./src:/app", "/etc/x:/x", "~/cfg:/cfg"]')).toEqual([
      { type: 'bind', source: './src', target: '/app', bind: { create_host_path: true } },
      { type: 'bind', source: '/etc/x', target: '/x', bind: { create_host_path: true } },
      { type: 'bind', source: '~/cfg', target: '/cfg', bind: { create_host_path: true } },
    ]);
  });

  it('makes any other source a named volume and no source an anonymous one', () => {
    expect(volumes('["data:/var/lib/data", "/cache"]')).toEqual([
      { type: 'volume', source: 'data', target: '/var/lib/data', volume: {} },
      { type: 'volume', target: '/cache', volume: {} },
    ]);
  });

  it('reads the options ro, rw, z/Z, propagation and nocopy', () => {
    expect(volumes('["./a:/a:ro,Z,rshared", "data:/d:rw,nocopy", "./b:/b:ro,rw"]')).toEqual([
      { type: 'bind', source: './a', target: '/a', read_only: true, bind: { selinux: 'Z', propagation: 'rshared', create_host_path: true } },
      { type: 'volume', source: 'data', target: '/d', volume: { nocopy: true } },
      { type: 'bind', source: './b', target: '/b', bind: { create_host_path: true } },
    ]);
  });

  it('cleans the target path', () => {
    expect(volumes('["data:/var//lib/./data/"]')).toEqual([{ type: 'volume', source: 'data', target: '/var/lib/data', volume: {} }]);
  });

  it('keeps the long form, defaulting create_host_path only where bind is given', () => {
    expect(volumes('[{type: bind, source: ./x, target: /x}, {type: bind, source: ./y, target: /y, bind: {propagation: shared}}]')).toEqual([
      { type: 'bind', source: './x', target: '/x' },
      { type: 'bind', source: './y', target: '/y', bind: { propagation: 'shared', create_host_path: true } },
    ]);
    expect(volumes('[{type: bind, source: ./y, target: /y, bind: {create_host_path: false}}]')).toEqual([
      { type: 'bind', source: './y', target: '/y', bind: { create_host_path: false } },
    ]);
  });

  it('normalises sizes and labels inside the long form', () => {
    expect(volumes('[{type: tmpfs, target: /t, tmpfs: {size: 64m}}, {type: volume, source: v, target: /v, volume: {labels: [a=b]}}]')).toEqual([
      { type: 'tmpfs', target: '/t', tmpfs: { size: String(64 * 1024 * 1024) } },
      { type: 'volume', source: 'v', target: '/v', volume: { labels: { a: 'b' } } },
    ]);
  });

  it.each([
    ['data::/x', 'empty section between colons'],
    ['vol:/b:ro:extra', 'too many colons'],
    ['', 'empty volume spec'],
  ])('rejects %j with the path and the right form', (spec, reason) => {
    const err = thrownBy(() => volumes(`["./ok:/ok", ${JSON.stringify(spec)}]`));
    expect(err.code).toBe('COMPOSE_INVALID');
    expect(err.path).toBe('services.web.volumes[1]');
    expect(err.message).toContain(reason);
    expect(err.hint).toContain('[SOURCE:]TARGET');
  });
});

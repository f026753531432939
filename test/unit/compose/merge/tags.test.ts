import { describe, expect, it } from 'vitest';
import { merged, mergedService, web } from './helpers.js';

describe('!reset and !override', () => {
  it('removes reset paths from the result (the spec example)', () => {
    const base = web('image: myapp\nports: ["8080:80"]\nenvironment: {FOO: BAR, KEEP: "1"}');
    // The YAML stage drops the tagged values from the override file and reports their paths.
    const override = web('image: myapp\nenvironment: {}');
    const service = mergedService(base, override, 'web', {
      resets: [['services', 'web', 'ports'], ['services', 'web', 'environment', 'FOO']],
      overrides: [],
    });
    expect(service).toEqual({ image: 'myapp', environment: { KEEP: '1' } });
  });

  it('replaces override paths instead of merging them', () => {
    const service = mergedService(web('image: a\nports: ["8080:80"]\nenvironment: {A: "1"}'), web('ports: ["8443:443"]\nenvironment: {B: "2"}'), 'web', {
      resets: [],
      overrides: [['services', 'web', 'ports'], ['services', 'web', 'environment']],
    });
    expect(service.ports).toEqual([{ mode: 'ingress', target: 443, published: '8443', protocol: 'tcp' }]);
    expect(service.environment).toEqual({ B: '2' });
  });

  it('can reset or override a whole service and ignores paths that are not there', () => {
    const doc = merged('services:\n  a: {image: a, dns: [1.1.1.1]}\n  b: {image: b}\n', 'services:\n  a: {dns: [8.8.8.8]}\n', {
      resets: [['services', 'b'], ['services', 'zzz', 'ports'], ['volumes', 'x']],
      overrides: [['services', 'a']],
    });
    expect(doc).toEqual({ services: { a: { dns: ['8.8.8.8'] } } });
  });
});

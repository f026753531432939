import { describe, expect, it } from 'vitest';
import { mergedService, web } from './helpers.js';

describe('merging service secrets and configs', () => {
  it('treats a secret without target as mounted at /run/secrets/<source>', () => {
    const service = mergedService(web('image: a\nsecrets: [token, key]'), web('secrets: [{source: token2, target: /run/secrets/token}, key]'));
    expect(service.secrets).toEqual([{ source: 'token2', target: '/run/secrets/token' }, { source: 'key' }]);
  });

  it('treats a config without target as mounted at /<source>', () => {
    const service = mergedService(web('image: a\nconfigs: [app, {source: x, target: /etc/x}]'), web('configs: [{source: app2, target: /app}, {source: y, target: /etc/x}]'));
    expect(service.configs).toEqual([{ source: 'app2', target: '/app' }, { source: 'y', target: '/etc/x' }]);
  });
});

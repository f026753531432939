import { describe, expect, it } from 'vitest';
import { canonicalService } from './helpers.js';

describe('canonical secrets and configs of a service', () => {
  it('turns a name into {source} and keeps the long form', () => {
    const web = canonicalService(`services:
  web:
    image: x
    secrets: [token, {source: cert, target: /etc/cert, uid: "103"}]
    configs: [app]
`);
    expect(web.secrets).toEqual([{ source: 'token' }, { source: 'cert', target: '/etc/cert', uid: '103' }]);
    expect(web.configs).toEqual([{ source: 'app' }]);
  });
});

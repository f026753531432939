import { describe, expect, it } from 'vitest';
import { mergedService, web } from './helpers.js';

describe('merging ports', () => {
  it('appends new bindings and keeps a binding both files give once', () => {
    const service = mergedService(web('image: a\nports: ["8080:80", "443:443"]'), web('ports: ["8080:80", "9090:90"]'));
    expect((service.ports as Array<{ published: string }>).map((p) => p.published)).toEqual(['8080', '443', '9090']);
  });

  it('tells bindings apart by host address, published port and protocol', () => {
    const service = mergedService(web('image: a\nports: ["8080:80"]'), web('ports: ["127.0.0.1:8080:80", "8081:80", "8080:80/udp"]'));
    expect(service.ports).toHaveLength(4);
  });

  it('counts the long and short forms of one binding as the same', () => {
    const service = mergedService(web('image: a\nports: ["8080:80"]'), web('ports: [{target: 80, published: 8080}]'));
    expect(service.ports).toEqual([{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]);
  });
});

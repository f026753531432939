import { describe, expect, it } from 'vitest';
import { merged } from './helpers.js';

describe('merging network IPAM configs', () => {
  it('merges configs of the same subnet and appends new subnets', () => {
    const doc = merged(
      `services: {}
networks:
  net:
    ipam:
      config:
        - {subnet: 172.28.0.0/16, gateway: 172.28.5.254, aux_addresses: {host1: 172.28.1.5, host3: 172.28.1.7}}
      options: {foo: bar}
`,
      `services: {}
networks:
  net:
    ipam:
      config:
        - {subnet: 172.28.0.0/16, ip_range: 172.28.5.0/24, aux_addresses: {host1: 172.28.1.6}}
        - {subnet: 172.29.0.0/16}
      options: {bar: foo}
`,
    );
    expect(doc.networks).toEqual({
      net: {
        ipam: {
          config: [
            { subnet: '172.28.0.0/16', gateway: '172.28.5.254', ip_range: '172.28.5.0/24', aux_addresses: { host1: '172.28.1.6', host3: '172.28.1.7' } },
            { subnet: '172.29.0.0/16' },
          ],
          options: { foo: 'bar', bar: 'foo' },
        },
      },
    });
  });
});

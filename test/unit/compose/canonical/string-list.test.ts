import { describe, expect, it } from 'vitest';
import { canonicalService } from './helpers.js';

describe('canonical string-or-list attributes and expose', () => {
  it('turns a single string into a list', () => {
    const web = canonicalService(`services:
  web:
    image: x
    dns: 8.8.8.8
    dns_search: example.com
    tmpfs: /run
    cap_add: NET_ADMIN
    label_file: ./app.labels
`);
    expect([web.dns, web.dns_search, web.tmpfs, web.cap_add, web.label_file]).toEqual([
      ['8.8.8.8'], ['example.com'], ['/run'], ['NET_ADMIN'], ['./app.labels'],
    ]);
  });

  it('keeps lists', () => {
    const web = canonicalService('services:\n  web:\n    image: x\n    dns: [1.1.1.1, 8.8.8.8]\n');
    expect(web.dns).toEqual(['1.1.1.1', '8.8.8.8']);
  });

  it('writes exposed ports as strings', () => {
    const web = canonicalService('services:\n  web:\n    image: x\n    expose: [3000, "8000", 8080-8085/tcp]\n');
    expect(web.expose).toEqual(['3000', '8000', '8080-8085/tcp']);
  });
});

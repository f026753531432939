import { describe, expect, it } from 'vitest';
import { mergedService, web } from './helpers.js';

describe('merging sequences', () => {
  it('appends the override entries (the spec example)', () => {
    expect(mergedService(web('image: a\ndns: [1.1.1.1]'), web('dns: [8.8.8.8]')).dns).toEqual(['1.1.1.1', '8.8.8.8']);
  });

  it.each(['dns', 'dns_search', 'dns_opt', 'cap_add', 'cap_drop', 'security_opt', 'tmpfs', 'profiles', 'links', 'volumes_from', 'external_links', 'expose', 'group_add'])(
    'keeps one copy of a value both files give in %s',
    (attr) => {
      const service = mergedService(web(`image: a\n${attr}: ["x", "y"]`), web(`${attr}: ["y", "z"]`));
      expect(service[attr]).toEqual(['x', 'y', 'z']);
    },
  );

  it('keeps network aliases and link-local addresses unique', () => {
    const service = mergedService(web('image: a\nnetworks:\n  n1: {aliases: [a1, a2]}'), web('networks:\n  n1: {aliases: [a3, a1]}'));
    expect(service.networks).toEqual({ n1: { aliases: ['a1', 'a2', 'a3'] } });
  });
});

describe('entries repeated within one file', () => {
  it('collapse by the same rules as entries from two files, as the first file is merged over nothing', () => {
    const service = mergedService('{}', web('image: a\nports: ["8080:80", "8080:80"]\nvolumes: ["a:/data", "b:/data"]\ndns: [1.1.1.1, 1.1.1.1]'));
    expect(service.ports).toHaveLength(1);
    expect(service.volumes).toEqual([{ type: 'volume', source: 'b', target: '/data', volume: {} }]);
    expect(service.dns).toEqual(['1.1.1.1']);
  });

  it('leave extension fields as written', () => {
    const service = mergedService('services:\n  web: {image: a}\n', web('x-list: [1, 1]'));
    expect(service['x-list']).toEqual([1, 1]);
  });
});

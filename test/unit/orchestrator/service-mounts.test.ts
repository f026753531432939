import { describe, expect, it } from 'vitest';
import { fileMode } from '../../../src/orchestrator/file-mode.js';
import { fileReferenceRequests } from '../../../src/orchestrator/service-files.js';
import { parseTmpfsOptions, serviceMountRequests } from '../../../src/orchestrator/service-mounts.js';
import { TscError } from '../../../src/errors/index.js';
import { failure, project } from '../../support/compose.js';

const where = (message: string): TscError => new TscError('COMPOSE_INVALID', message);

describe('serviceMountRequests', () => {
  it('maps short and long volume syntax to binds, named, anonymous and tmpfs mounts', () => {
    const p = project(`
services:
  web:
    image: x
    volumes:
      - data:/data:ro
      - cache:/cache:nocopy
      - /anon
      - /p/src:/src:ro
      - type: bind
        source: /host/exact
        target: /exact
        bind: {propagation: rshared, create_host_path: false}
      - type: tmpfs
        target: /fast
        tmpfs: {size: 2m, mode: 0700}
volumes:
  data:
    labels: {team: a}
  cache:
    name: shared-cache
    driver_opts: {type: tmpfs, o: size=1m}
`);
    expect(serviceMountRequests(p, 'web')).toEqual([
      {
        kind: 'volume', name: 'p_data', key: 'data', target: '/data', readonly: true, nocopy: false, external: false,
        labels: { team: 'a', 'com.docker.compose.project': 'p', 'com.docker.compose.volume': 'data' }, driverOpts: {},
      },
      {
        kind: 'volume', name: 'shared-cache', key: 'cache', target: '/cache', readonly: false, nocopy: true, external: false,
        labels: { 'com.docker.compose.project': 'p', 'com.docker.compose.volume': 'cache' }, driverOpts: { type: 'tmpfs', o: 'size=1m' },
      },
      { kind: 'anonymous', target: '/anon', readonly: false, nocopy: false },
      { kind: 'bind', create: true, mount: { type: 'bind', source: '/p/src', target: '/src', readonly: true } },
      { kind: 'bind', create: false, mount: { type: 'bind', source: '/host/exact', target: '/exact', readonly: false, propagation: 'rshared' } },
      { kind: 'tmpfs', mount: { type: 'tmpfs', target: '/fast', readonly: false, sizeBytes: 2 * 1024 * 1024, mode: 0o700 } },
    ]);
  });

  it('refuses a missing long-syntax bind only later, but never creates it: create_host_path is false without `bind`', () => {
    const p = project(`
services:
  web:
    image: x
    volumes:
      - {type: bind, source: ./a, target: /a}
      - {type: bind, source: ./b, target: /b, bind: {}}
`);
    expect(serviceMountRequests(p, 'web').map((r) => r.kind === 'bind' && r.create)).toEqual([false, true]);
  });

  it('gives each image VOLUME an anonymous volume unless the service mounts something there', () => {
    const p = project(`
services:
  db:
    image: x
    volumes: ["data:/var/lib/db/"]
    tmpfs: ["/run"]
volumes:
  data: {}
`);
    const requests = serviceMountRequests(p, 'db', ['/var/lib/db', '/run', '/logs']);
    expect(requests.filter((r) => r.kind === 'anonymous')).toEqual([{ kind: 'anonymous', target: '/logs', readonly: false, nocopy: false }]);
  });

  it('parses the tmpfs key with its options', () => {
    const p = project(`
services:
  web:
    image: x
    tmpfs: ["/run:size=1m,mode=1777,uid=1000,noexec", "/tmp"]
`);
    expect(serviceMountRequests(p, 'web')).toEqual([
      { kind: 'tmpfs', mount: { type: 'tmpfs', target: '/run', sizeBytes: 1024 * 1024, mode: 0o1777, options: ['uid=1000'] } },
      { kind: 'tmpfs', mount: { type: 'tmpfs', target: '/tmp' } },
    ]);
    const bad = failure(() => serviceMountRequests(project('services: {web: {image: x, tmpfs: ["/run:size=lots"]}}'), 'web'));
    expect([bad.code, bad.path]).toEqual(['COMPOSE_INVALID', 'services.web.tmpfs[0]']);
  });

  it('parses volumes_from entries as Compose does', () => {
    const p = project(`
services:
  a: {image: x}
  b:
    image: x
    volumes_from: ["a", "a:ro", "service:a:rw", "container:other", "container:other:ro"]
`);
    expect(serviceMountRequests(p, 'b')).toEqual([
      { kind: 'volumes-from', from: { service: 'a' } },
      { kind: 'volumes-from', from: { service: 'a' }, mode: 'ro' },
      { kind: 'volumes-from', from: { service: 'a' }, mode: 'rw' },
      { kind: 'volumes-from', from: { container: 'other' } },
      { kind: 'volumes-from', from: { container: 'other' }, mode: 'ro' },
    ]);
  });

  it('refuses volume drivers other than local and bad propagations', () => {
    const driver = failure(() => serviceMountRequests(project('services: {a: {image: x, volumes: ["v:/v"]}}\nvolumes: {v: {driver: nfs}}'), 'a'));
    expect([driver.code, driver.path]).toEqual(['UNSUPPORTED', 'volumes.v.driver']);
    const propagation = failure(() => serviceMountRequests(project('services: {a: {image: x, volumes: [{type: bind, source: /x, target: /y, bind: {propagation: sideways}}]}}'), 'a'));
    expect(propagation.code).toBe('COMPOSE_INVALID');
    expect(propagation.hint).toContain('rshared');
  });

  it('marks external volumes and gives them no labels', () => {
    const p = project('services: {a: {image: x, volumes: ["ext:/e"]}}\nvolumes: {ext: {external: true, name: real}}');
    expect(serviceMountRequests(p, 'a')).toMatchObject([{ kind: 'volume', name: 'real', external: true, labels: {} }]);
  });
});

describe('fileReferenceRequests', () => {
  it('puts secrets under /run/secrets and configs at the root, with owner and mode (default 0444)', () => {
    const p = project(`
services:
  a:
    image: x
    secrets: [token, {source: key, target: tls.key, uid: "100", gid: "101", mode: 0400}, {source: abs, target: /etc/abs}]
    configs: [app, {source: other, target: etc/other.conf, mode: 0o600}]
secrets:
  token: {file: /p/token.txt}
  key: {environment: KEY}
  abs: {file: /abs}
configs:
  app: {content: hello}
  other: {file: /p/other}
`);
    expect(fileReferenceRequests(p, 'a')).toEqual([
      { kind: 'file', what: 'secret', name: 'token', target: '/run/secrets/token', uid: 0, gid: 0, mode: 0o444, source: { file: '/p/token.txt' } },
      { kind: 'file', what: 'secret', name: 'key', target: '/run/secrets/tls.key', uid: 100, gid: 101, mode: 0o400, source: { environment: 'KEY' } },
      { kind: 'file', what: 'secret', name: 'abs', target: '/etc/abs', uid: 0, gid: 0, mode: 0o444, source: { file: '/abs' } },
      { kind: 'file', what: 'config', name: 'app', target: '/app', uid: 0, gid: 0, mode: 0o444, source: { content: 'hello' } },
      { kind: 'file', what: 'config', name: 'other', target: '/etc/other.conf', uid: 0, gid: 0, mode: 0o600, source: { file: '/p/other' } },
    ]);
  });

  it('refuses undefined, external and sourceless secrets, and bad ids', () => {
    expect(failure(() => fileReferenceRequests(project('services: {a: {image: x, secrets: [nope]}}'), 'a')).code).toBe('COMPOSE_REFERENCE');
    const external = failure(() => fileReferenceRequests(project('services: {a: {image: x, secrets: [s]}}\nsecrets: {s: {external: true}}'), 'a'));
    expect([external.code, external.path]).toEqual(['UNSUPPORTED', 'secrets.s.external']);
    const content = failure(() => fileReferenceRequests(project('services: {a: {image: x, secrets: [s]}}\nsecrets: {s: {content: x}}'), 'a'));
    expect(content.code).toBe('COMPOSE_INVALID');
    const uid = failure(() => fileReferenceRequests(project('services: {a: {image: x, configs: [{source: c, uid: root}]}}\nconfigs: {c: {content: x}}'), 'a'));
    expect([uid.code, uid.path]).toEqual(['COMPOSE_INVALID', 'services.a.configs[0]']);
  });
});

describe('fileMode and tmpfs options', () => {
  it('reads modes written in octal digits as octal, other numbers as they are, strings as octal', () => {
    // A number is the mode itself (the loader already read `0440` as octal); `440` is decimal, as in compose-go.
    expect([fileMode(0o440, 0), fileMode(440, 0), fileMode('0440', 0), fileMode('0o755', 0), fileMode(undefined, 0o444)]).toEqual([0o440, 440, 0o440, 0o755, 0o444]);
    expect([fileMode('rwx', 0), fileMode(-1, 0), fileMode(1.5, 0), fileMode(0o10000, 0)]).toEqual([-1, -1, -1, -1]);
  });

  it('keeps key=value options and refuses ones that could smuggle more', () => {
    expect(parseTmpfsOptions('size=64k,ro,exec,nr_inodes=100', where)).toEqual({ sizeBytes: 65536, readonly: true, options: ['nr_inodes=100'] });
    expect(() => parseTmpfsOptions('uid=1 0', where)).toThrow(/invalid tmpfs option/);
    expect(() => parseTmpfsOptions('mode=9999', where)).toThrow(/invalid tmpfs mode/);
  });
});

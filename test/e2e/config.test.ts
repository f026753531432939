import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';

// `tscompose config` and the global flags, run through bin/tscompose as a user would, in temp
// projects. Expected outputs follow Compose's documented rules for `docker compose config`.
const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin', 'tscompose');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const temp = mkdtempSync(join(tmpdir(), 'tsc-config-e2e-'));

/** Runs the CLI with only the environment given (plus PATH and HOME), so the caller's COMPOSE_* never leak in. */
async function tscompose(args: string[], options: { cwd: string; env?: Record<string, string>; input?: string }): Promise<Run> {
  const result = await execa(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: temp, ...options.env },
    extendEnv: false,
    input: options.input ?? '',
    reject: false,
    stripFinalNewline: false,
    timeout: 30_000,
  });
  return { code: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** A project directory named `name` under the temp dir, with these files (paths relative to it). */
function project(name: string, files: Record<string, string>): string {
  const dir = join(temp, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

const SHOP = `services:
  web:
    image: nginx:\${TAG:-latest}
    ports: ["8080:80"]
    environment:
      - GREETING=\${GREETING:?say hello}
      - MODE
    depends_on: [api]
    networks: [front]
  api:
    build: ./api
    volumes: [data:/var/lib/api]
    networks: [front]
  admin:
    image: admin
    profiles: [ops]
    networks: [front]
volumes:
  data:
networks:
  front:
`;

describe('tscompose config', () => {
  let shop: string;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js')) || !existsSync(join(ROOT, 'dist', 'compose', 'compose-validator.cjs'))) {
      await execa('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, timeout: 300_000 });
      await execa(process.execPath, ['dist/compose/schema-precompile.js'], { cwd: ROOT, timeout: 60_000 });
    }
    shop = project('shop', { 'compose.yaml': SHOP, '.env': 'GREETING=hi\nTAG=1.27\n', 'sub/deeper/.keep': '' });
  }, 320_000);

  afterAll(() => {
    rmSync(temp, { recursive: true, force: true });
  });

  it('prints the canonical project as YAML', async () => {
    const run = await tscompose(['config'], { cwd: shop });
    expect(run.code, run.stderr).toBe(0);
    expect(parse(run.stdout)).toEqual({
      name: 'shop',
      services: {
        api: {
          build: { context: join(shop, 'api'), dockerfile: 'Dockerfile' },
          networks: { front: null },
          volumes: [{ type: 'volume', source: 'data', target: '/var/lib/api', volume: {} }],
        },
        web: {
          depends_on: { api: { condition: 'service_started', required: true } },
          environment: { GREETING: 'hi', MODE: null },
          image: 'nginx:1.27',
          networks: { front: null },
          ports: [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }],
        },
      },
      networks: { front: { name: 'shop_front' } },
      volumes: { data: { name: 'shop_data' } },
    });
    expect(run.stdout.startsWith('name: shop\nservices:\n')).toBe(true);
  });

  it('prints the same project as JSON with --format json', async () => {
    const yaml = await tscompose(['config'], { cwd: shop });
    const json = await tscompose(['config', '--format', 'json'], { cwd: shop });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(parse(yaml.stdout));
  });

  it('lists services, volumes, networks, images and profiles, one per line', async () => {
    const list = async (flag: string): Promise<string[]> => lines((await tscompose(['config', flag], { cwd: shop })).stdout).sort();
    expect(await list('--services')).toEqual(['api', 'web']);
    expect(await list('--volumes')).toEqual(['data']);
    expect(await list('--networks')).toEqual(['front']);
    // A service without image is built as <project>-<service>.
    expect(await list('--images')).toEqual(['nginx:1.27', 'shop-api']);
    expect(await list('--profiles')).toEqual(['ops']);
  });

  it('prints a stable config hash per service that changes with the service', async () => {
    const first = await tscompose(['config', '--hash', '*'], { cwd: shop });
    const again = await tscompose(['config', '--hash', '*'], { cwd: shop });
    expect(first.code, first.stderr).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    const hashes = (run: Run): Record<string, string> => Object.fromEntries(lines(run.stdout).map((l) => l.split(' ') as [string, string]));
    const before = hashes(first);
    expect(Object.keys(before).sort()).toEqual(['api', 'web']);
    for (const hash of Object.values(before)) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const changed = hashes(await tscompose(['config', '--hash', '*'], { cwd: shop, env: { GREETING: 'hello' } }));
    expect(changed.web).not.toBe(before.web);
    expect(changed.api).toBe(before.api);
  });

  it('lists the variables the files use, with --variables', async () => {
    const run = await tscompose(['config', '--variables'], { cwd: shop });
    expect(run.code, run.stderr).toBe(0);
    const rows = lines(run.stdout).map((l) => l.trim().split(/\s{2,}/));
    expect(rows[0]).toEqual(['NAME', 'REQUIRED', 'DEFAULT VALUE', 'ALTERNATE VALUE']);
    expect(rows.slice(1)).toEqual([['GREETING', 'true'], ['TAG', 'false', 'latest']]);
  });

  it('prints the interpolation environment with --environment: .env under the OS environment', async () => {
    const run = await tscompose(['config', '--environment'], { cwd: shop, env: { TAG: 'from-os' } });
    expect(run.code, run.stderr).toBe(0);
    const env = lines(run.stdout);
    expect(env).toContain('GREETING=hi');
    expect(env).toContain('TAG=from-os');
    expect(env).not.toContain('TAG=1.27');
  });

  it('leaves variables as written with --no-interpolate', async () => {
    const run = await tscompose(['config', '--no-interpolate'], { cwd: shop });
    expect(run.code, run.stderr).toBe(0);
    const web = (parse(run.stdout) as { services: Record<string, Record<string, unknown>> }).services.web;
    expect(web?.image).toBe('nginx:${TAG:-latest}');
    expect(web?.environment).toEqual({ GREETING: '${GREETING:?say hello}', MODE: null });
  });

  it('-q validates and prints nothing; an invalid file makes it fail', async () => {
    const ok = await tscompose(['config', '-q'], { cwd: shop });
    expect(ok).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const bad = project('quiet-bad', { 'compose.yaml': 'services:\n  web:\n    image: nginx\n    ports: 80\n' });
    const failed = await tscompose(['config', '-q'], { cwd: bad });
    expect(failed.code).not.toBe(0);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain('[COMPOSE_SCHEMA]');
  });

  it('-o writes the output to a file instead of standard output', async () => {
    const out = join(temp, 'out.yaml');
    const run = await tscompose(['config', '-o', out], { cwd: shop });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe((await tscompose(['config'], { cwd: shop })).stdout);
  });

  it('names a required variable that has no value', async () => {
    const dir = project('required', { 'compose.yaml': 'services:\n  web:\n    image: nginx\n    environment:\n      - A=${NEEDED:?set NEEDED}\n' });
    const run = await tscompose(['config'], { cwd: dir });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('NEEDED');
    expect(run.stderr).toContain(`${join(dir, 'compose.yaml')}:5:`);
  });
});

describe('global flags', () => {
  it('-f is repeatable: later files merge over earlier ones', async () => {
    const dir = project('files', {
      'base.yaml': 'services:\n  web:\n    image: nginx\n    environment: [A=base, B=base]\n',
      'more.yaml': 'services:\n  web:\n    environment: [B=more]\n  cache:\n    image: redis\n',
    });
    const run = await tscompose(['-f', 'base.yaml', '-f', 'more.yaml', 'config', '--format', 'json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const model = JSON.parse(run.stdout) as { name: string; services: Record<string, { environment?: unknown }> };
    expect(model.name).toBe('files');
    expect(Object.keys(model.services).sort()).toEqual(['cache', 'web']);
    expect(model.services.web?.environment).toEqual({ A: 'base', B: 'more' });
  });

  it('-f - reads the compose file from standard input', async () => {
    const dir = project('from-stdin', { '.keep': '' });
    const run = await tscompose(['-f', '-', 'config', '--services'], { cwd: dir, input: 'services:\n  piped:\n    image: busybox\n' });
    expect(run.code, run.stderr).toBe(0);
    expect(lines(run.stdout)).toEqual(['piped']);
  });

  it('-p names the project, over COMPOSE_PROJECT_NAME and name:', async () => {
    const dir = project('named', { 'compose.yaml': 'name: from-file\nservices:\n  web:\n    image: nginx\n' });
    const run = await tscompose(['-p', 'from-flag', 'config', '--format', 'json'], { cwd: dir, env: { COMPOSE_PROJECT_NAME: 'from-env' } });
    const model = JSON.parse(run.stdout) as { name: string; networks: Record<string, { name: string }> };
    expect(model.name).toBe('from-flag');
    expect(model.networks.default?.name).toBe('from-flag_default');
    const fromEnv = JSON.parse((await tscompose(['config', '--format', 'json'], { cwd: dir, env: { COMPOSE_PROJECT_NAME: 'from-env' } })).stdout) as { name: string };
    expect(fromEnv.name).toBe('from-env');
    const invalid = await tscompose(['-p', 'Not Valid', 'config'], { cwd: dir });
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toContain('[COMPOSE_PROJECT_NAME]');
  });

  it('--project-directory sets where the files, .env and relative paths are found', async () => {
    const dir = project('elsewhere', {
      'compose.yaml': 'services:\n  app:\n    image: app:${TAG}\n    volumes: [./data:/data]\n',
      '.env': 'TAG=2\n',
    });
    const run = await tscompose(['--project-directory', dir, 'config', '--format', 'json'], { cwd: temp });
    expect(run.code, run.stderr).toBe(0);
    const app = (JSON.parse(run.stdout) as { name: string; services: Record<string, { image: string; volumes: Array<{ source: string }> }> });
    expect(app.name).toBe('elsewhere');
    expect(app.services.app?.image).toBe('app:2');
    expect(app.services.app?.volumes[0]?.source).toBe(join(dir, 'data'));
  });

  it('--env-file replaces .env', async () => {
    const dir = project('env-files', {
      'compose.yaml': 'services:\n  app:\n    image: app:${TAG:-none}\n    environment: ["ONLY_DOTENV=${ONLY_DOTENV:-unset}"]\n',
      '.env': 'TAG=dotenv\nONLY_DOTENV=yes\n',
      'prod.env': 'TAG=prod\n',
    });
    const run = await tscompose(['--env-file', 'prod.env', 'config', '--format', 'json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const app = (JSON.parse(run.stdout) as { services: Record<string, { image: string; environment: unknown }> }).services.app;
    expect(app?.image).toBe('app:prod');
    expect(app?.environment).toEqual({ ONLY_DOTENV: 'unset' });
  });

  it('--profile and COMPOSE_PROFILES turn on the services of a profile', async () => {
    const dir = project('profiled', { 'compose.yaml': SHOP, '.env': 'GREETING=hi\n' });
    const services = async (args: string[], env: Record<string, string> = {}): Promise<string[]> =>
      lines((await tscompose([...args, 'config', '--services'], { cwd: dir, env })).stdout).sort();
    expect(await services([])).toEqual(['api', 'web']);
    expect(await services(['--profile', 'ops'])).toEqual(['admin', 'api', 'web']);
    expect(await services([], { COMPOSE_PROFILES: 'ops' })).toEqual(['admin', 'api', 'web']);
  });

  it('COMPOSE_FILE names several files separated by :', async () => {
    const dir = project('compose-file', {
      'one.yaml': 'services:\n  a:\n    image: a\n',
      'two.yaml': 'services:\n  a:\n    labels: [from=two]\n  b:\n    image: b\n',
    });
    const run = await tscompose(['config', '--format', 'json'], { cwd: dir, env: { COMPOSE_FILE: 'one.yaml:two.yaml' } });
    expect(run.code, run.stderr).toBe(0);
    const model = JSON.parse(run.stdout) as { services: Record<string, { image: string; labels?: unknown }> };
    expect(Object.keys(model.services).sort()).toEqual(['a', 'b']);
    expect(model.services.a).toMatchObject({ image: 'a', labels: { from: 'two' } });
  });

  it('finds compose.yaml in a parent directory when run from a subdirectory', async () => {
    const dir = project('upward', {
      'compose.yaml': 'services:\n  app:\n    build: .\n',
      'src/lib/.keep': '',
    });
    const run = await tscompose(['config', '--format', 'json'], { cwd: join(dir, 'src', 'lib') });
    expect(run.code, run.stderr).toBe(0);
    const model = JSON.parse(run.stdout) as { name: string; services: Record<string, { build: { context: string } }> };
    expect(model.name).toBe('upward');
    expect(model.services.app?.build.context).toBe(dir);
  });
});

describe('usage and errors', () => {
  const cwd = temp;

  it('refuses an unknown flag, suggesting the nearest one', async () => {
    const run = await tscompose(['config', '--servics'], { cwd });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('--servics');
    expect(run.stderr).toContain('--services');
    expect(run.stdout).toBe('');
  });

  it('refuses an unknown command, suggesting the nearest one', async () => {
    const run = await tscompose(['confgi'], { cwd });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('confgi');
    expect(run.stderr).toMatch(/\bconfig\b/);
  });

  it('reports a broken compose file as one paragraph: file:line:column, message, [CODE], hint', async () => {
    const dir = project('broken', { 'compose.yaml': 'services:\n  web:\n    image: nginx\n    enviroment:\n      A: "1"\n' });
    const run = await tscompose(['config'], { cwd: dir });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    const [head, hint, ...rest] = lines(run.stderr);
    expect(head?.startsWith(`${join(dir, 'compose.yaml')}:4:5: `)).toBe(true);
    expect(head).toContain('enviroment');
    expect(head?.endsWith('[COMPOSE_SCHEMA]')).toBe(true);
    expect(hint).toMatch(/^\s+hint: .*environment/);
    expect(rest).toEqual([]);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('reports broken YAML at its line, without a stack trace', async () => {
    const dir = project('bad-yaml', { 'compose.yaml': 'services:\n  web:\n    image: nginx\n    ports: ["80:80\n' });
    const run = await tscompose(['config'], { cwd: dir });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(new RegExp(`^${join(dir, 'compose.yaml').replaceAll('/', '\\/')}:\\d+:\\d+: .*\\[COMPOSE_YAML\\]\\n\\s+hint: `));
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('prints its version', async () => {
    const run = await tscompose(['version'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(VERSION);
  });

  it('prints help and exits 0 for --help and config --help', async () => {
    const main = await tscompose(['--help'], { cwd });
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/^Usage: tscompose/);
    expect(main.stdout).toContain('config');
    const config = await tscompose(['config', '--help'], { cwd });
    expect(config.code).toBe(0);
    expect(config.stdout).toMatch(/^Usage: tscompose config/);
    for (const flag of ['--services', '--hash', '--no-interpolate', '--quiet', '--output']) expect(config.stdout).toContain(flag);
  });
});

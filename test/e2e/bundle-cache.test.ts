import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { cacheFileOf, loadBundle } from '../../src/cli/bundle-loader.js';

// bin/tscompose as installed, on a copy of the built bundle: a corrupt or foreign code cache only
// costs the compile, the run replaces it, and without a bundle the compiled dist/cli/ runs.
const ROOT = resolve(import.meta.dirname, '../..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let install: string;
let bundle: string;

/** A copy of bin/ and dist/bundle/, with what the bundle finds beside itself linked from the checkout. */
beforeAll(() => {
  install = mkdtempSync(join(tmpdir(), 'tsc-bundle-cache-'));
  mkdirSync(join(install, 'bin'));
  mkdirSync(join(install, 'dist', 'bundle'), { recursive: true });
  copyFileSync(join(ROOT, 'bin', 'tscompose'), join(install, 'bin', 'tscompose'));
  for (const file of ['main.cjs', 'main.cjs.map']) copyFileSync(join(ROOT, 'dist', 'bundle', file), join(install, 'dist', 'bundle', file));
  for (const name of ['package.json', 'schemas', 'node_modules', 'build']) symlinkSync(join(ROOT, name), join(install, name));
  symlinkSync(join(ROOT, 'dist', 'cli'), join(install, 'dist', 'cli'));
  bundle = join(install, 'dist', 'bundle', 'main.cjs');
  writeFileSync(join(install, 'compose.yaml'), 'services:\n  web:\n    image: busybox:latest\n    ports: ["8080:80"]\n');
});

afterAll(() => rmSync(install, { recursive: true, force: true }));

async function tscompose(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await execa(process.execPath, [join(install, 'bin', 'tscompose'), ...args], {
    cwd: install,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: install, TSCOMPOSE_DNS_UPSTREAM: 'none' },
    extendEnv: false,
    reject: false,
  });
  return { code: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

describe('the bundle code cache', () => {
  it('the copy under test is the built bundle', () => {
    expect(existsSync(bundle)).toBe(true);
  });

  it('a corrupt cache only costs the compile, and the run replaces it with one V8 accepts', async () => {
    writeFileSync(cacheFileOf(bundle), Buffer.alloc(4096, 0x5a));
    expect(loadBundle(bundle).cache).toEqual({ file: 'own', rejected: true });

    expect(await tscompose(['version'])).toEqual({ code: 0, stdout: `tscompose version v${VERSION}`, stderr: '' });
    expect(loadBundle(bundle).cache).toEqual({ file: 'own', rejected: false });
  });

  it('a cache made for another bundle is rejected, and the command still does its work', async () => {
    writeFileSync(cacheFileOf(bundle), readFileSync(join(ROOT, 'dist', 'bundle', 'main.cjs.seed-cache')).subarray(0, 2048));
    const config = await tscompose(['config', '--services']);
    expect(config).toEqual({ code: 0, stdout: 'web', stderr: '' });
    const invalid = await tscompose(['-f', 'missing.yaml', 'config']);
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toMatch(/missing\.yaml/);
    expect(loadBundle(bundle).cache).toEqual({ file: 'own', rejected: false });
  });

  it('without a bundle, the compiled dist/cli runs', async () => {
    rmSync(join(install, 'dist', 'bundle'), { recursive: true, force: true });
    expect(await tscompose(['version', '--short'])).toEqual({ code: 0, stdout: VERSION, stderr: '' });
  });
});

#!/usr/bin/env node
// The demo: builds the project's own images (a static busybox and the probe), loads them into a
// data root of its own under .tscompose-demo/, and runs the sample stacks with tscompose, offline.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, '.tscompose-demo');
const env = { ...process.env, TSCOMPOSE_ROOT: join(work, 'data'), TSCOMPOSE_RUNTIME_ROOT: join(work, 'run') };
const cli = join(root, 'bin', 'tscompose');

function tscompose(...args) {
  console.log(`\n$ tscompose ${args.join(' ')}`);
  execFileSync(process.execPath, [cli, ...args], { stdio: 'inherit', env, cwd: root });
}

if (process.getuid?.() !== 0) {
  console.error('the demo runs containers and needs root: run it with sudo');
  process.exit(1);
}
mkdirSync(work, { recursive: true });
const { buildTestImages } = await import('../dist/image/test-images/index.js');
console.log('building the demo images from Debian\'s busybox-static and the probe (src/native/probe)...');
const archives = await buildTestImages(join(work, 'images'));
for (const archive of Object.values(archives)) tscompose('image', 'load', '-i', archive);
tscompose('image', 'ls');

const stacks = [
  ['samples/hello/compose.yaml', ['up']],
  ['samples/migrate/compose.yaml', ['up']],
  ['samples/volumes/compose.yaml', ['up', '-d'], ['port', 'web', '8080']],
  ['samples/webapp/compose.yaml', ['up', '--wait'], ['exec', '-T', 'web', 'wget', '-q', '-O-', 'http://api:8080/health']],
];
try {
  for (const [file, up, then] of stacks) {
    tscompose('-f', file, 'config', '--services');
    tscompose('-f', file, ...up);
    tscompose('-f', file, 'ps', '-a');
    if (up[0] === 'up' && up.length > 1) tscompose('-f', file, 'logs');
    if (then !== undefined) tscompose('-f', file, ...then);
  }
} finally {
  for (const [file] of stacks) tscompose('-f', file, 'down', '-v');
}

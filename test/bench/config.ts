// Benchmark: `tscompose config` on a generated 500-service project with an override file and
// `extends` (same file and another file). Prints the load time in-process and through the CLI,
// beside baselines run in the same process: parsing the same YAML alone, and starting node itself.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadProject } from '../../src/compose/loader.js';
import { projectToYaml } from '../../src/cli/render/project-yaml.js';
import { median, printTable, timeIt } from './measure.js';

const SERVICES = 500;
const ROOT = resolve(import.meta.dirname, '../..');

export function generate(dir: string): string[] {
  const lines = ['name: bench', 'x-common: &common', '  restart: unless-stopped', '  labels: [tier=bench]', 'services:'];
  lines.push('  base:', '    image: busybox', '    environment: [BASE=1]', '    healthcheck: {test: "true", interval: 5s}');
  for (let i = 0; i < SERVICES; i++) {
    const dep = i > 0 ? `    depends_on: [svc${i - 1}]` : '';
    lines.push(`  svc${i}:`, '    <<: *common', `    extends: ${i % 2 === 0 ? 'base' : '{file: common.yaml, service: shared}'}`);
    lines.push(`    image: busybox:\${TAG:-latest}`, `    ports: ["${10000 + i}:80"]`, `    volumes: ["data${i % 10}:/data", "./src:/src:ro"]`);
    lines.push(`    environment: {INDEX: "${i}", NAME: svc${i}}`, `    networks: [front, back]`);
    if (dep !== '') lines.push(dep);
  }
  lines.push('networks: {front: {}, back: {}}', 'volumes:');
  for (let v = 0; v < 10; v++) lines.push(`  data${v}: {}`);
  writeFileSync(join(dir, 'compose.yaml'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'common.yaml'), 'services:\n  shared:\n    image: busybox\n    env_file: [{path: ./shared.env, required: false}]\n    command: ["sh", "-c", "sleep 1"]\n');
  const override = ['services:'];
  for (let i = 0; i < SERVICES; i++) override.push(`  svc${i}:`, '    environment: [OVERRIDE=1]', `    ports: ["${20000 + i}:81"]`);
  writeFileSync(join(dir, 'compose.override.yaml'), `${override.join('\n')}\n`);
  return ['compose.yaml', 'compose.override.yaml', 'common.yaml'].map((f) => join(dir, f));
}

export function benchConfig(): void {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-bench-config-'));
  try {
    const files = generate(dir);
    const options = { workingDir: dir, osEnv: {}, onWarning: () => undefined };
    loadProject(options); // warm up: schema compilation happens once per process
    const inProcess = timeIt(7, () => projectToYaml(loadProject(options).project));
    const parseOnly = timeIt(7, () => files.forEach((f) => parse(readFileSync(f, 'utf8'), { merge: true, maxAliasCount: -1 })));
    const cli = timeIt(5, () => execFileSync(process.execPath, [join(ROOT, 'bin/tscompose'), 'config'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] }));
    const nodeStart = timeIt(5, () => execFileSync(process.execPath, ['-e', ''], { stdio: 'ignore' }));
    printTable(`config: ${SERVICES} services, an override file, extends (same file and another file)`, [
      ['tscompose config (CLI, wall)', median(cli), median(nodeStart), 'node -e "" (process start)'],
      ['load + render (in process)', median(inProcess), median(parseOnly), 'yaml.parse of the same files'],
    ]);
    console.log(`target: CLI under 1000 ms — ${median(cli) < 1000 ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

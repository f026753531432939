import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import { TscError } from '../../../src/errors/index.js';
import { validateSchema } from '../../../src/compose/validate.js';
import { parseComposeYaml } from '../../../src/compose/yaml-stage.js';
import { toComposePath } from '../../../src/compose/schema-errors.js';
import { formatPath, type ParsedFile } from '../../../src/compose/types.js';
import { CORPUS_DIR, corpusRows } from '../../support/corpus.js';

// Our schema against the reference schema (compose-go's copy of the Compose specification's
// schema) on every compose file of the shared corpus, each parsed alone and not interpolated.
const REFERENCE = resolve(import.meta.dirname, '../../../../shared/reference/compose-spec.json');
const reference = new Ajv2020Module.default({ strict: false }).compile(JSON.parse(readFileSync(REFERENCE, 'utf8')) as object);

type Verdict = { kind: 'parse-error' } | { kind: 'pass' } | { kind: 'fail'; error: TscError };

function parse(text: string, file: string): ParsedFile | undefined {
  try {
    return parseComposeYaml(text, file);
  } catch (err) {
    if (err instanceof TscError && err.code === 'COMPOSE_YAML') return undefined;
    throw err;
  }
}

function ours(parsed: ParsedFile): Verdict {
  try {
    validateSchema(parsed);
    return { kind: 'pass' };
  } catch (err) {
    if (err instanceof TscError && err.code === 'COMPOSE_SCHEMA') return { kind: 'fail', error: err };
    throw err;
  }
}

function judge(text: string, file: string): { ours: Verdict; reference: boolean; referencePath?: string } {
  const parsed = parse(text, file);
  if (parsed === undefined) return { ours: { kind: 'parse-error' }, reference: false };
  const passes = reference(parsed.data);
  const first = reference.errors?.[0];
  const referencePath = first === undefined ? undefined : formatPath(toComposePath(first.instancePath, parsed.data));
  return { ours: ours(parsed), reference: passes, referencePath };
}

const rows = corpusRows().filter((row) => /\.ya?ml$/.test(row.path));

describe('our schema and the reference agree on the corpus', () => {
  it('covers every compose file of the manifest', () => {
    expect(rows.length).toBe(200);
  });

  it.each(rows.map((row) => [row.path, row.schemaRaw] as const))('%s (%s)', (path, schemaRaw) => {
    const file = resolve(CORPUS_DIR, path);
    const verdict = judge(readFileSync(file, 'utf8'), file);
    const oursPass = verdict.ours.kind === 'pass';
    expect(oursPass, 'ours vs reference').toBe(verdict.reference);
    expect(oursPass ? 'pass' : 'fail', 'ours vs MANIFEST schema_raw').toBe(schemaRaw === 'pass' ? 'pass' : 'fail');
    if (verdict.ours.kind === 'fail') {
      const { error } = verdict.ours;
      // Our error is at least as specific as the reference's first one, and points into the file.
      expect(error.path ?? '').toMatch(new RegExp(`^${escape(verdict.referencePath ?? '')}`));
      expect(error.location?.file).toBe(file);
      expect(error.location?.line).toBeGreaterThan(0);
      expect(error.hint ?? '').not.toBe('');
    }
  });
});

// Mistakes that real files make, where both schemas must say no.
const NEGATIVES: Array<[string, string, string]> = [
  ['unknown service key', 'services:\n  web:\n    image: a\n    restart_policy: always\n', 'services.web.restart_policy'],
  ['unknown top-level key', 'service:\n  web:\n    image: a\n', 'service'],
  ['services as a list', 'services:\n  - web\n', 'services'],
  ['bad service name', 'services:\n  "web app":\n    image: a\n', 'services.web app'],
  ['command as a mapping', 'services:\n  web:\n    image: a\n    command: {run: x}\n', 'services.web.command'],
  ['environment list item not a string', 'services:\n  web:\n    image: a\n    environment:\n      - A=1\n      - 2\n', 'services.web.environment[1]'],
  ['port mapping typo', 'services:\n  web:\n    image: a\n    ports:\n      - container: 80\n', 'services.web.ports[0].container'],
  ['volume without type', 'services:\n  web:\n    image: a\n    volumes:\n      - source: data\n        target: /data\n', 'services.web.volumes[0]'],
  ['unknown volume type', 'services:\n  web:\n    image: a\n    volumes:\n      - type: nfs\n        target: /x\n', 'services.web.volumes[0].type'],
  ['depends_on without condition', 'services:\n  web:\n    image: a\n    depends_on:\n      db:\n        required: true\n', 'services.web.depends_on.db'],
  ['healthcheck retries as a list', 'services:\n  web:\n    image: a\n    healthcheck:\n      retries: [3]\n', 'services.web.healthcheck.retries'],
  ['deploy limits memory as a number', 'services:\n  web:\n    image: a\n    deploy:\n      resources:\n        limits:\n          memory: 512\n', 'services.web.deploy.resources.limits.memory'],
  ['watch without action', 'services:\n  web:\n    image: a\n    develop:\n      watch:\n        - path: ./src\n', 'services.web.develop.watch[0]'],
  ['ulimit missing hard', 'services:\n  web:\n    image: a\n    ulimits:\n      nofile:\n        soft: 10\n', 'services.web.ulimits.nofile'],
  ['network ipam typo', 'networks:\n  front:\n    ipam:\n      configs: []\n', 'networks.front.ipam.configs'],
  ['secret with unknown key', 'secrets:\n  token:\n    path: ./token\n', 'secrets.token.path'],
  ['model without model', 'models:\n  llm:\n    name: x\n', 'models.llm'],
  ['include item with unknown key', 'include:\n  - file: a.yaml\n', 'include[0].file'],
  ['duplicate cap_add', 'services:\n  web:\n    image: a\n    cap_add: [NET_ADMIN, NET_ADMIN]\n', 'services.web.cap_add[1]'],
  ['cgroup value', 'services:\n  web:\n    image: a\n    cgroup: shared\n', 'services.web.cgroup'],
  ['post_start without command', 'services:\n  web:\n    image: a\n    post_start:\n      - user: root\n', 'services.web.post_start[0]'],
  ['gpus as a number', 'services:\n  web:\n    image: a\n    gpus: 1\n', 'services.web.gpus'],
];

describe('hand-made mistakes: both schemas reject them', () => {
  it.each(NEGATIVES)('%s', (_name, yaml, path) => {
    const verdict = judge(yaml, '/project/compose.yaml');
    expect(verdict.reference).toBe(false);
    expect(verdict.ours.kind).toBe('fail');
    if (verdict.ours.kind === 'fail') expect(verdict.ours.error.path).toBe(path);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

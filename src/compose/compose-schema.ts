import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type Ajv2020Module from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { TscError } from '../errors/index.js';

/** A JSON Schema node as stored in schemas/compose.schema.json. */
export type SchemaNode = { [keyword: string]: unknown };

/**
 * schemas/compose.schema.json, two levels above this module both in src/compose (tests) and in
 * dist/compose (the built package).
 */
export const COMPOSE_SCHEMA_FILE = fileURLToPath(new URL('../../schemas/compose.schema.json', import.meta.url));

/** The Ajv class for JSON Schema 2020-12, as its typings name it. */
type Ajv2020Class = typeof Ajv2020Module.default;

// Reading and compiling the schema costs a few hundred milliseconds, so both happen on first use
// and at most once per process. The cache holds pure, immutable artefacts of a file that ships
// with tscompose; it is not shared mutable state.
let schema: SchemaNode | undefined;
let validator: ValidateFunction | undefined;

/** The parsed compose schema. */
export function composeSchema(): SchemaNode {
  schema ??= readSchema(COMPOSE_SCHEMA_FILE);
  return schema;
}

/**
 * The compiled validator. It stops at the first failure outside `anyOf` branches and keeps the
 * failing schema in each error (`verbose`), which is what error selection needs.
 */
export function composeValidator(): ValidateFunction {
  validator ??= precompiledValidator() ?? newAjv(false).compile(composeSchema());
  return validator;
}

/**
 * The build writes the validator as standalone code beside this module (see schema-precompile.ts),
 * so a CLI run does not pay for compiling the schema. It is used only while it was made from the
 * very schema file that ships beside it.
 */
export const PRECOMPILED_VALIDATOR = fileURLToPath(new URL('./compose-validator.cjs', import.meta.url));

function precompiledValidator(): ValidateFunction | undefined {
  let loaded: { default?: ValidateFunction; schemaDigest?: string };
  try {
    loaded = createRequire(import.meta.url)(PRECOMPILED_VALIDATOR) as typeof loaded;
  } catch {
    return undefined;
  }
  return loaded.schemaDigest === schemaDigest() ? loaded.default : undefined;
}

export function schemaDigest(): string {
  return createHash('sha256').update(readFileSync(COMPOSE_SCHEMA_FILE)).digest('hex');
}

/**
 * The one ajv configuration, for compiling at run time and for the standalone build. Ajv itself is
 * loaded here, on first use: a run with the precompiled validator never needs its compiler.
 */
export function newAjv(standalone: boolean): InstanceType<Ajv2020Class> {
  // A CommonJS module: its class is also its `.default`, which is the name its typings give it.
  const Ajv2020 = (createRequire(import.meta.url)('ajv/dist/2020.js') as typeof Ajv2020Module).default;
  return new Ajv2020({ allErrors: false, verbose: true, strict: true, allowUnionTypes: true, code: { source: standalone } });
}

function readSchema(file: string): SchemaNode {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SchemaNode;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new TscError('INTERNAL', `read compose schema ${file}: ${reason}`, {
      hint: 'the tscompose installation is incomplete: schemas/ must sit beside dist/; reinstall tscompose',
      cause: err,
    });
  }
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { TscError } from '../errors/index.js';

/** A JSON Schema node as stored in schemas/compose.schema.json. */
export type SchemaNode = { [keyword: string]: unknown };

/**
 * schemas/compose.schema.json, two levels above this module both in src/compose (tests) and in
 * dist/compose (the built package).
 */
export const COMPOSE_SCHEMA_FILE = fileURLToPath(new URL('../../schemas/compose.schema.json', import.meta.url));

// A CommonJS module: Node hands over `module.exports`, and the class is also its `.default`,
// which is the name its typings give it.
const Ajv2020 = Ajv2020Module.default;

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
  if (validator === undefined) {
    const ajv = new Ajv2020({ allErrors: false, verbose: true, strict: true, allowUnionTypes: true });
    validator = ajv.compile(composeSchema());
  }
  return validator;
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

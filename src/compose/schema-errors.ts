import type { ErrorObject } from 'ajv';
import { nearest } from '../util/suggest.js';
import type { SchemaNode } from './compose-schema.js';
import { schemaKeys } from './schema-keys.js';
import { formatPath, type ComposePath } from './types.js';

/** One schema violation, told for a person: what is wrong where, and what to do. */
export interface SchemaProblem {
  /** The node the problem is about; for an unknown key, the key itself. */
  path: ComposePath;
  message: string;
  hint: string;
}

/**
 * Picks the most specific of a failed validation's errors and describes it. The deepest error
 * wins; at equal depth an error from a branch whose type matched (an unknown key, a missing key)
 * beats a type mismatch, so for `anyOf` alternatives the form that got furthest is reported.
 * Type mismatches of several alternatives at one place merge into one message.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[], data: unknown): SchemaProblem {
  const specific = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  const pool = specific.length > 0 ? specific : [...errors];
  let best = pool[0];
  if (best === undefined) return { path: [], message: 'the file does not match the compose schema', hint: 'check it against the Compose specification' };
  let bestScore = score(best);
  for (const error of pool) {
    const s = score(error);
    if (s > bestScore) [best, bestScore] = [error, s];
  }
  const path = toComposePath(best.instancePath, data);
  if (best.keyword === 'type') {
    const types = pool.filter((e) => e.keyword === 'type' && e.instancePath === best.instancePath).flatMap((e) => typeNames(e.params.type));
    return typeProblem(path, types, valueAt(data, path));
  }
  return describe(best, path, valueAt(data, path));
}

function score(error: ErrorObject): number {
  const depth = error.instancePath === '' ? 0 : error.instancePath.split('/').length - 1;
  const intoChild = error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties' ? 1 : 0;
  return (depth + intoChild) * 2 + (error.keyword === 'type' ? 0 : 1);
}

function describe(error: ErrorObject, path: ComposePath, value: unknown): SchemaProblem {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(params.additionalProperty ?? params.unevaluatedProperty);
      return unknownKey(path, key, error.parentSchema as SchemaNode | undefined, valueAt(value, [key]));
    }
    case 'required': {
      const key = String(params.missingProperty);
      const allowed = enumOf(asNode(asNode((error.parentSchema as SchemaNode | undefined)?.properties)?.[key]));
      const choices = allowed === undefined ? '' : `, one of ${allowed}`;
      return { path, message: `${subject(path)} is missing required property '${key}'`, hint: `add '${key}'${choices}` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      const near = typeof value === 'string' ? nearest(value, allowed.map(String)) : undefined;
      return {
        path,
        message: `${subject(path)} must be one of ${allowed.map(quote).join(', ')}`,
        hint: near === undefined ? `found ${describeValue(value)}` : `did you mean '${near}'?`,
      };
    }
    case 'pattern': {
      const description = (error.parentSchema as SchemaNode | undefined)?.description;
      return {
        path,
        message: `${subject(path)} has an invalid value ${JSON.stringify(value)}`,
        hint: typeof description === 'string' ? description : `it must match ${String(params.pattern)}`,
      };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, message: `${subject(path)} must be ${String(params.comparison)} ${String(params.limit)}`, hint: `found ${describeValue(value)}` };
    case 'uniqueItems': {
      // ajv reports the pair in either order, depending on how it compared the items.
      const [first, second] = [Number(params.i), Number(params.j)].sort((a, b) => a - b);
      const later = [...path, second ?? 0];
      return { path: later, message: `${subject(later)} repeats ${subject([...path, first ?? 0])}`, hint: 'each item may appear only once here; remove the duplicate' };
    }
    case 'oneOf':
    case 'anyOf':
      return { path, message: `${subject(path)} does not match any allowed form`, hint: `found ${describeValue(value)}` };
    default:
      return { path, message: `${subject(path)} ${error.message ?? 'is not valid'}`, hint: 'check it against the Compose specification' };
  }
}

function unknownKey(parentPath: ComposePath, key: string, parent: SchemaNode | undefined, value: unknown): SchemaProblem {
  const path = [...parentPath, key];
  const patterns = Object.keys(asNode(parent?.patternProperties) ?? {});
  const namePatterns = patterns.filter((p) => p !== '^x-');
  if (namePatterns.length > 0 && Object.keys(asNode(parent?.properties) ?? {}).length === 0) {
    return { path, message: `${subject(parentPath)}: invalid name '${key}'`, hint: nameRule(namePatterns) };
  }
  const top = parentPath.length === 0;
  const message = top ? `additional property '${key}' is not allowed at the top level` : `${formatPath(parentPath)} additional property '${key}' is not allowed`;
  const hint = unknownKeyHint(key, schemaKeys(parentPath), top && looksLikeService(value), patterns.includes('^x-'));
  return { path, message, hint };
}

function unknownKeyHint(key: string, allowed: string[], serviceLike: boolean, extensible: boolean): string {
  const near = nearest(key, allowed);
  if (near !== undefined) return `did you mean '${near}'?`;
  if (serviceLike) return `if '${key}' is a service, move it under services:`;
  const known = allowed.length > 0 && allowed.length <= 12 ? `allowed here: ${allowed.join(', ')}` : 'remove it, or check its spelling against the Compose specification';
  return extensible ? `${known}; keys of your own must start with 'x-'` : known;
}

/** A mapping whose keys are all service keys, such as a service written at the top level. */
function looksLikeService(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const serviceKeys = new Set(schemaKeys(['services', '_']));
  return keys.length > 0 && keys.every((k) => serviceKeys.has(k) || k.startsWith('x-'));
}

function nameRule(patterns: string[]): string {
  const rules = patterns.map((pattern) => {
    if (pattern === '^[a-zA-Z0-9._-]+$') return "names may contain only letters, digits, '.', '_' and '-'";
    if (pattern === '.+' || pattern === '^.+$') return 'names must not be empty';
    if (pattern === '^[a-z]+$') return 'names are lowercase letters only';
    return `names must match ${pattern}`;
  });
  return rules.join('; ');
}

function typeProblem(path: ComposePath, types: string[], value: unknown): SchemaProblem {
  const wanted = [...new Set(types)];
  return { path, message: `${subject(path)} must be ${joinOr(wanted)}`, hint: `found ${describeValue(value)}` };
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

function typeNames(type: unknown): string[] {
  const list = Array.isArray(type) ? type : String(type).split(',');
  return list.map((t) => TYPE_NAMES[String(t)] ?? String(t));
}

function joinOr(items: string[]): string {
  if (items.length <= 1) return items[0] ?? 'something else';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}

function enumOf(schema: SchemaNode | undefined): string | undefined {
  return Array.isArray(schema?.enum) ? schema.enum.map(quote).join(', ') : undefined;
}

/** How a value appears in a hint: its kind, and the value itself when it is short. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = JSON.stringify(value);
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  if (typeof value === 'string') return `a string (${shown})`;
  return `${TYPE_NAMES[typeof value] ?? typeof value} (${shown})`;
}

function subject(path: ComposePath): string {
  return path.length === 0 ? 'the top level' : formatPath(path);
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/** `/services/web/ports/0` → `['services', 'web', 'ports', 0]`, numbers only where the data has a list. */
export function toComposePath(pointer: string, data: unknown): ComposePath {
  if (pointer === '') return [];
  const path: Array<string | number> = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    const key = Array.isArray(node) ? Number(segment) : segment;
    path.push(key);
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
  }
  return path;
}

function valueAt(data: unknown, path: ComposePath): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

function asNode(value: unknown): SchemaNode | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as SchemaNode) : undefined;
}

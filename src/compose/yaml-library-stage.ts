import type { CollectionTag, Document, ScalarTag, YAMLError } from 'yaml';
import { TscError } from '../errors/index.js';
import type { SourceLocation } from '../errors/index.js';
import { PathPositionIndex } from './position-index.js';
import type { Dict, ParsedFile } from './types.js';
import { OVERRIDE_TAG, RESET_TAG, YamlConverter, emptyCollected } from './yaml-convert.js';
import { yamlLibrary } from './yaml-library.js';
import { MAX_NODES } from './yaml-limits.js';
import { LEGACY_OCTAL, legacyOctal } from './yaml-scalars.js';

/** `0755` as octal, as compose-go's reader has it; ahead of the core schema's decimal integers. */
const LEGACY_OCTAL_TAG: ScalarTag = {
  identify: (value) => typeof value === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: LEGACY_OCTAL,
  resolve: legacyOctal,
};

/** `!reset` and `!override` on scalars, mappings and sequences; the converter reads the tags. */
function composeTags(): Array<ScalarTag | CollectionTag> {
  const { YAMLMap, YAMLSeq } = yamlLibrary();
  return [RESET_TAG, OVERRIDE_TAG].flatMap((tag) => [
    { tag, resolve: (value: string): string => value },
    { tag, collection: 'map' as const, nodeClass: YAMLMap },
    { tag, collection: 'seq' as const, nodeClass: YAMLSeq },
  ]);
}

/**
 * The YAML stage through the `yaml` package: the reference for every file, and the only reader of
 * the files the fast reader (yaml-fast-reader.ts) leaves, including every file with an error.
 */
export function parseComposeYamlWithLibrary(text: string, file: string): ParsedFile {
  const { LineCounter, isMap, parseAllDocuments } = yamlLibrary();
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    version: '1.2',
    schema: 'core',
    merge: true,
    uniqueKeys: true,
    customTags: (tags) => [LEGACY_OCTAL_TAG, ...tags, ...composeTags()],
    lineCounter,
    prettyErrors: false,
  });
  const at = (offset: number | undefined): SourceLocation => {
    if (offset === undefined) return { file };
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const fail = (message: string, location: SourceLocation, hint = 'fix the YAML of the compose file'): TscError =>
    new TscError('COMPOSE_YAML', message, { hint, location });

  for (const doc of docs) {
    const error = doc.errors.find((e) => e.code !== 'DUPLICATE_KEY');
    if (error !== undefined) throw syntaxError(error, at(error.pos[0]), fail);
  }
  const documents = docs.filter((doc) => !isEmptyDocument(doc));
  const [doc, second] = documents;
  if (doc === undefined) throw fail('empty compose file', { file }, 'a compose file needs at least a services: mapping');
  if (second !== undefined) {
    throw fail('multiple YAML documents in one compose file are not supported', at(second.range[0]), 'split the documents into files and pass each with -f');
  }
  const root = doc.contents;
  if (!isMap(root)) throw fail('top-level object must be a mapping', at(root?.range?.[0]), 'start the file with keys such as services:');

  const converter = new YamlConverter({ doc, text, file, lineCounter, maxNodes: MAX_NODES });
  const collected = emptyCollected();
  const data = converter.convert(root, [], collected) as Dict;
  const duplicate = doc.errors.find((e) => e.code === 'DUPLICATE_KEY');
  if (duplicate !== undefined) throw fail(`duplicate key: ${describeKey(text, duplicate)}`, at(duplicate.pos[0]), 'remove or rename one of the two keys');

  const positions = new PathPositionIndex();
  positions.set([], at(root.range[0]));
  for (const [path, location] of collected.positions) positions.set(path, location);
  return { path: file, data, positions, resets: collected.resets, overrides: collected.overrides };
}

function syntaxError(error: YAMLError, location: SourceLocation, fail: (m: string, l: SourceLocation, h?: string) => TscError): TscError {
  if (error.code === 'TAB_AS_INDENT') return fail('tabs are not allowed as indentation', location, 'indent with spaces');
  return fail(`invalid YAML: ${error.message}`, location);
}

/** A document with nothing in it: no content at all, or only a `---` marker. */
function isEmptyDocument(doc: Document.Parsed): boolean {
  const contents = doc.contents;
  if (contents === null) return true;
  return yamlLibrary().isScalar(contents) && contents.value === null && contents.range[0] === contents.range[1];
}

function describeKey(text: string, error: YAMLError): string {
  return JSON.stringify(text.slice(error.pos[0], error.pos[1]).trim());
}

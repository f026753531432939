import { InvalidArgumentError, Option } from 'commander';
import { TscError } from '../errors/index.js';

/** `-t, --timeout <seconds>`: a whole number of seconds, 0 or more. */
export function parseSeconds(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`"${value}" is not a whole number of seconds`);
  return Number(value);
}

/** `--index <n>` of exec, attach and port: a replica number, from 1 (the default, 1, is not parsed). */
export function parseIndex(value: string): number {
  const index = Number(value);
  if (!Number.isInteger(index) || index < 1) throw new TscError('USAGE', `invalid --index "${value}"`, { hint: 'give a replica number from 1' });
  return index;
}

/** `--scale SERVICE=N`, repeatable, into a map (a later one for the same service wins). */
export function collectScale(value: string, previous: Record<string, number> = {}): Record<string, number> {
  const match = /^([^=\s]+)=(\d+)$/.exec(value.trim());
  if (match === null) throw new InvalidArgumentError(`"${value}" is not SERVICE=NUMBER`);
  return { ...previous, [match[1] as string]: Number(match[2]) };
}

/** A repeatable string option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * `-e KEY=VALUE` or `-e KEY` (the value from this environment; left out when unset there), as
 * `docker compose run` takes them.
 */
export function environmentEntries(entries: readonly string[], lookup: (name: string) => string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    const key = at < 0 ? entry : entry.slice(0, at);
    if (key === '') throw new InvalidArgumentError(`"${entry}" is not KEY=VALUE`);
    const value = at < 0 ? lookup(key) : entry.slice(at + 1);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** `-l KEY=VALUE` labels. */
export function labelEntries(entries: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new InvalidArgumentError(`label "${entry}" is not KEY=VALUE`);
    out[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return out;
}

/** `SERVICE:PATH` or a plain local path, as `cp` takes its two operands. */
export type CopyOperand = { service: string; path: string } | { local: string };

export function parseCopyOperand(value: string): CopyOperand {
  // A local path may hold a colon only after a slash (./a:b), as Docker decides.
  const at = value.indexOf(':');
  if (at <= 0 || value.slice(0, at).includes('/')) return { local: value };
  return { service: value.slice(0, at), path: value.slice(at + 1) };
}

/**
 * An option whose name starts with `--no-` but takes a value (`--no-attach <service>`): commander
 * would read it as the negation of `--attach`, so it is marked as not negating.
 */
export function valueOptionNamedNo(flags: string, description: string, parse: (value: string, previous: string[] | undefined) => string[]): Option {
  const option = new Option(flags, description).argParser(parse);
  option.negate = false;
  return option;
}

/** `--entrypoint "sh -c 'echo hi'"` into words, with single and double quotes and backslashes as a shell reads them. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1] as string)) word += line[++i];
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote !== undefined) throw new InvalidArgumentError(`unterminated ${quote} quote in "${line}"`);
  if (inWord) words.push(word);
  return words;
}

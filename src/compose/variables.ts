import type { ParsedFile } from './types.js';
import { isDict } from './types.js';

export interface VariableUse {
  name: string;
  required: boolean;
  defaultValue?: string;
  alternateValue?: string;
}

const EXPRESSION = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Every variable the files refer to, with how it is used, for `config --variables`. */
export function listVariables(files: ParsedFile[]): VariableUse[] {
  const found = new Map<string, VariableUse>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') scan(value, found);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (isDict(value)) Object.values(value).forEach(visit);
  };
  for (const file of files) visit(file.data);
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

function scan(text: string, found: Map<string, VariableUse>): void {
  const unescaped = text.replace(/\$\$/g, '');
  for (const m of unescaped.matchAll(EXPRESSION)) {
    const name = m[1] ?? m[4];
    if (name === undefined) continue;
    const op = m[2];
    const arg = m[3] ?? '';
    const use: VariableUse = found.get(name) ?? { name, required: false };
    if (op === ':?' || op === '?') use.required = true;
    if (op === ':-' || op === '-') use.defaultValue = arg;
    if (op === ':+' || op === '+') use.alternateValue = arg;
    found.set(name, use);
    if (arg.includes('$')) scan(arg, found);
  }
}

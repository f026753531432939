import { existsSync, readFileSync, statSync } from 'node:fs';

/** How the loader reads files: injected so tests can load from memory. */
export interface FileSource {
  /** The file's text, or undefined when it does not exist. */
  readFile(path: string): string | undefined;
  exists(path: string): boolean;
  readStdin(): string;
}

export function nodeFileSource(stdin: () => string = () => readFileSync(0, 'utf8')): FileSource {
  return {
    readFile(path) {
      try {
        if (!statSync(path).isFile()) return undefined;
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    exists: (path) => existsSync(path),
    readStdin: stdin,
  };
}

/** A FileSource over a map of path → text, for unit tests. */
export function memoryFileSource(files: Record<string, string>, stdin = ''): FileSource {
  return {
    readFile: (path) => files[path],
    exists: (path) => path in files || Object.keys(files).some((f) => f.startsWith(`${path}/`)),
    readStdin: () => stdin,
  };
}

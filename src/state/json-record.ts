import { readFile } from 'node:fs/promises';
import { TscError } from '../errors/index.js';
import { writeFileAtomic } from '../util/atomic-file.js';

/** Checks a parsed record and returns it typed, or throws describing what is wrong. */
export type RecordValidator<T> = (value: unknown) => T;

/**
 * A JSON record on disk: written tmp + fsync + rename, validated on read, so a crash leaves either
 * the old record or the new one, and a corrupt record is reported, never half-trusted.
 */
export class JsonRecord<T> {
  constructor(private readonly path: string, private readonly validate: RecordValidator<T>) {}

  async read(): Promise<T | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return this.validate(JSON.parse(text));
    } catch (err) {
      throw new TscError('STATE_CORRUPT', `state record ${this.path} is not valid: ${(err as Error).message}`, {
        hint: 'remove the record or the object it belongs to, e.g. with `tscompose down`',
        cause: err,
      });
    }
  }

  async write(value: T): Promise<void> {
    await writeFileAtomic(this.path, `${JSON.stringify(value, null, 2)}\n`, 0o600);
  }
}

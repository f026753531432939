import { toTscError } from '../errors/index.js';

export async function main(argv: string[]): Promise<number> {
  try {
    if (argv[0] === 'version') {
      process.stdout.write('tscompose version 0.1.0\n');
      return 0;
    }
    return 0;
  } catch (err) {
    const error = toTscError(err);
    process.stderr.write(`${error.format()}\n`);
    return error.exitStatus;
  }
}

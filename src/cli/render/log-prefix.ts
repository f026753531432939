import chalk from 'chalk';

const COLOURS = [chalk.cyan, chalk.yellow, chalk.green, chalk.magenta, chalk.blue, chalk.red];

/** `web-1  | ` prefixes, padded to the longest name and coloured per container as Compose does. */
export class LogPrefixer {
  private readonly colours = new Map<string, (s: string) => string>();

  constructor(private readonly width: number, private readonly colour: boolean) {}

  prefix(name: string): string {
    let paint = this.colours.get(name);
    if (paint === undefined) {
      paint = this.colour ? (COLOURS[this.colours.size % COLOURS.length] ?? chalk.cyan) : (s: string) => s;
      this.colours.set(name, paint);
    }
    return paint(`${name.padEnd(this.width)} | `);
  }
}

/** `p-web-1` → `web-1`: the name Compose shows in log prefixes. */
export function displayName(project: string, containerName: string): string {
  return containerName.startsWith(`${project}-`) ? containerName.slice(project.length + 1) : containerName;
}

/**
 * One container's log records as printed lines: text is held until a newline ends it, then each
 * line gets the prefix (asked for once per record) and, with timestamps, the record's time.
 */
export class LogLines {
  private pending = '';

  /** @param head the prefix of this container's lines ('' for none) */
  constructor(private readonly head: () => string, private readonly timestamps: boolean) {}

  /** The lines a record completes; '' while its text does not end a line. */
  push(record: { readonly log: string; readonly time: string }): string {
    this.pending += record.log;
    if (!this.pending.endsWith('\n')) return '';
    const head = this.head();
    const stamp = this.timestamps ? `${record.time} ` : '';
    const lines = this.pending.split('\n').slice(0, -1).map((line) => `${head}${stamp}${line}\n`).join('');
    this.pending = '';
    return lines;
  }

  /** The text of a line the log ended without finishing, as a line; '' when there is none. */
  end(): string {
    const rest = this.pending;
    this.pending = '';
    return rest === '' ? '' : `${this.head()}${rest}\n`;
  }
}

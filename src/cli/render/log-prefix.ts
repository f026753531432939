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

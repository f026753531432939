import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function versionCommand(): Command {
  return new Command('version')
    .description('Show the tscompose version information')
    .addOption(new Option('-f, --format <format>', 'format the output').choices(['pretty', 'json']).default('pretty'))
    .option('--short', 'show only the version number')
    .action((options: { format: string; short?: boolean }) => {
      const version = packageVersion();
      if (options.short === true) process.stdout.write(`${version}\n`);
      else if (options.format === 'json') process.stdout.write(`${JSON.stringify({ version })}\n`);
      else process.stdout.write(`tscompose version v${version}\n`);
    });
}

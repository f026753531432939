import chalk from 'chalk';
import type { ProgressSink } from '../../orchestrator/events.js';
import type { GlobalOptions } from '../global-options.js';

/**
 * Progress as `docker compose --progress plain` prints it: ` Container p-web-1  Creating`, one line
 * per step, on stderr; `quiet` prints nothing and `json` one object per line.
 */
export function progressPrinter(global: GlobalOptions): ProgressSink {
  const mode = global.progress ?? 'plain';
  return (event) => {
    if (mode === 'quiet') return;
    if (mode === 'json') {
      process.stderr.write(`${JSON.stringify(event)}\n`);
      return;
    }
    if (event.kind === 'plan') {
      for (const line of event.lines) process.stderr.write(`DRY-RUN MODE -  ${line}\n`);
      return;
    }
    const kind = event.resource.startsWith('volume ') ? '' : 'Container ';
    const text = event.status === 'failed' ? chalk.red(`Error ${event.text}`) : event.status === 'done' ? chalk.green(event.text) : event.text;
    process.stderr.write(` ${kind}${event.resource}  ${text}\n`);
  };
}

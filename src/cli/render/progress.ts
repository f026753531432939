import chalk from 'chalk';
import type { ProgressEvent, ProgressSink } from '../../orchestrator/events.js';
import type { GlobalOptions } from '../global-options.js';
import { resourceLabel } from './resource-label.js';

export type ProgressMode = 'tty' | 'plain' | 'json' | 'quiet';

/** `--progress`: auto picks the task list on a terminal and plain lines elsewhere. */
export function progressMode(kind: string | undefined, isTty: boolean = process.stderr.isTTY === true): ProgressMode {
  if (kind === 'tty' || kind === 'plain' || kind === 'json' || kind === 'quiet') return kind;
  return isTty ? 'tty' : 'plain';
}

/**
 * Progress as `docker compose` prints it, on stderr: `--progress plain` one line per step
 * (` Container p-web-1  Creating`), `tty` a listr2 task list (see TtyProgress), `quiet` nothing and
 * `json` one object per line.
 */
export function progressPrinter(global: GlobalOptions): ProgressSink {
  const mode = progressMode(global.progress);
  if (mode === 'tty') return lazyTty();
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
    const text = event.status === 'failed' ? chalk.red(`Error ${event.text}`) : event.status === 'done' ? chalk.green(event.text) : event.text;
    process.stderr.write(` ${resourceLabel(event.resource)}  ${text}\n`);
  };
}

/**
 * The task-list display, loaded on first use (it brings listr2): events that come before it is loaded
 * are kept and replayed, so none is lost, and `close` waits for it to load and draw its last frame.
 */
function lazyTty(): ProgressSink {
  let tty: ProgressSink | undefined;
  const pending: ProgressEvent[] = [];
  const loading = import('./tty-progress.js').then(({ TtyProgress }) => {
    tty = new TtyProgress({ stream: process.stderr }).sink;
    for (const event of pending.splice(0)) tty(event);
  });
  const sink: ProgressSink = (event) => {
    if (tty === undefined) pending.push(event);
    else tty(event);
  };
  sink.close = async () => {
    await loading;
    await tty?.close?.();
  };
  return sink;
}

import chalk from 'chalk';
import { figures } from 'listr2';
import type { ProgressEvent } from '../../orchestrator/events.js';
import { resourceLabel } from './resource-label.js';

interface Row {
  resource: string;
  status: 'working' | 'done' | 'failed';
  text: string;
  startedMs: number;
  endedMs?: number;
}

export interface TtyOutput {
  write(text: string): void;
  /** Terminal height; rows beyond it scroll away and are not redrawn. */
  rows?: number;
}

/**
 * Progress as `docker compose` draws it on a terminal: a `[+] Running n/m` header and one line per
 * resource with its state and elapsed time, redrawn in place on each event (no timer, so nothing
 * outlives the command). Symbols come from listr2's figures, so they degrade on terminals without Unicode.
 */
export class TtyProgress {
  private readonly rows = new Map<string, Row>();
  private drawn = 0;

  constructor(private readonly out: TtyOutput, private readonly now: () => number = () => Date.now()) {}

  readonly sink = (event: ProgressEvent): void => {
    if (event.kind === 'plan') {
      this.out.write(event.lines.map((l) => `DRY-RUN MODE -  ${l}\n`).join(''));
      this.drawn = 0;
      return;
    }
    const key = event.resource;
    const row = this.rows.get(key);
    const at = this.now();
    if (row === undefined || (row.status !== 'working' && event.status === 'working')) {
      this.rows.set(key, { resource: key, status: event.status, text: event.text, startedMs: at, ...(event.status === 'working' ? {} : { endedMs: at }) });
    } else {
      this.rows.set(key, { ...row, status: event.status, text: event.text, ...(event.status === 'working' ? {} : { endedMs: at }) });
    }
    this.redraw();
  };

  /** The frame as text, for the terminal and for tests. */
  frame(): string[] {
    const rows = [...this.rows.values()];
    const done = rows.filter((r) => r.status !== 'working').length;
    const width = Math.max(0, ...rows.map((r) => resourceLabel(r.resource).length));
    const lines = [`${chalk.blue('[+]')} Running ${done}/${rows.length}`];
    for (const r of rows) {
      const mark = r.status === 'done' ? chalk.green(figures.tick) : r.status === 'failed' ? chalk.red(figures.cross) : chalk.yellow(figures.pointer);
      const text = r.status === 'failed' ? chalk.red(`Error ${r.text}`) : r.status === 'done' ? chalk.green(r.text) : r.text;
      const seconds = `${(((r.endedMs ?? this.now()) - r.startedMs) / 1000).toFixed(1)}s`;
      lines.push(` ${mark} ${resourceLabel(r.resource).padEnd(width)}  ${text}  ${chalk.dim(seconds)}`);
    }
    const limit = this.out.rows === undefined ? lines.length : Math.max(2, this.out.rows - 1);
    return lines.length <= limit ? lines : [lines[0] as string, ...lines.slice(lines.length - limit + 1)];
  }

  private redraw(): void {
    const lines = this.frame();
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A\r\x1b[J` : '';
    this.out.write(`${up}${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }
}

export { resourceLabel };

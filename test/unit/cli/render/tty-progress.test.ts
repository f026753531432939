import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import chalk from 'chalk';
import { Listr, figures } from 'listr2';
import { TtyProgress } from '../../../../src/cli/render/tty-progress.js';
import { progressMode } from '../../../../src/cli/render/progress.js';
import { resourceLabel } from '../../../../src/cli/render/resource-label.js';
import type { ProgressEvent } from '../../../../src/orchestrator/events.js';

/** A stream standing in for the terminal: keeps what is written. */
class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** The last frame listr2 drew: what follows its last erase of the previous frame, without colours. */
function finalFrame(out: string): string[] {
  const erase = out.lastIndexOf('\x1b[G');
  return stripVTControlCharacters(out.slice(erase < 0 ? 0 : erase)).split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
}

/** The compiled display, for a process of its own (`npx tsc -p tsconfig.build.json` makes it). */
const COMPILED = new URL('../../../../dist/cli/render/tty-progress.js', import.meta.url);

const act = (resource: string, status: 'working' | 'done' | 'failed', text: string): ProgressEvent => ({ kind: 'action', resource, status, text });

describe('the terminal progress task list', () => {
  let level: typeof chalk.level;
  beforeEach(() => {
    level = chalk.level;
    chalk.level = 0;
  });
  afterEach(() => {
    chalk.level = level;
  });

  it('draws one listr2 task per resource, in the order they came, each completed with its last state and time', async () => {
    const out = new Capture();
    let now = 1000;
    const tty = new TtyProgress({ stream: out, now: () => now });
    tty.sink(act('network p_default', 'working', 'Creating'));
    now = 1100;
    tty.sink(act('network p_default', 'done', 'Created'));
    tty.sink(act('p-db-1', 'working', 'Creating'));
    tty.sink(act('p-web-1', 'working', 'Creating'));
    now = 1300;
    tty.sink(act('p-db-1', 'done', 'Created'));
    tty.sink(act('p-web-1', 'done', 'Created'));
    tty.sink(act('p-db-1', 'working', 'Starting'));
    now = 1700;
    tty.sink(act('p-db-1', 'done', 'Started'));
    await tty.close();
    expect(finalFrame(out.text)).toEqual([
      `${figures.tick} Network p_default  Created  0.1s`,
      `${figures.tick} Container p-db-1  Started  0.4s`,
      `${figures.tick} Container p-web-1  Created  0.2s`,
    ]);
    // While it ran, the steps showed under their resource; listr2 hid the cursor and shows it again.
    const frames = stripVTControlCharacters(out.text);
    expect(frames).toContain(`${figures.tick} Created  0.1s`);
    expect(out.text).toContain('\x1b[?25l');
    expect(out.text.endsWith('\x1b[?25h')).toBe(true);
  });

  it('shows a failed step as a failed task with the error, and settles the others', async () => {
    const out = new Capture();
    const tty = new TtyProgress({ stream: out, now: () => 0 });
    tty.sink(act('p-web-1', 'working', 'Creating'));
    tty.sink(act('p-web-1', 'done', 'Created'));
    tty.sink(act('p-web-1', 'working', 'Starting'));
    tty.sink(act('p-db-1', 'working', 'Starting'));
    tty.sink(act('p-web-1', 'failed', 'exec: no such file'));
    tty.sink(act('p-db-1', 'done', 'Started'));
    await tty.close();
    expect(finalFrame(out.text)).toEqual([
      `${figures.cross} Container p-web-1  Error exec: no such file  0.0s`,
      `  ${figures.tick} Created  0.0s`,
      `  ${figures.cross} Starting`,
      `${figures.tick} Container p-db-1  Started  0.0s`,
    ]);
  });

  it('fails a step still under way when the command ends, and starts a new list for events after close', async () => {
    const out = new Capture();
    const tty = new TtyProgress({ stream: out, now: () => 0 });
    tty.sink(act('p-db-1', 'working', 'Waiting'));
    await tty.close();
    expect(finalFrame(out.text)).toEqual([`${figures.cross} Container p-db-1  Waiting  interrupted`, `  ${figures.cross} Waiting`]);
    out.text = '';
    tty.sink(act('p-db-1', 'working', 'Stopping'));
    tty.sink(act('p-db-1', 'done', 'Stopped'));
    await tty.close();
    expect(finalFrame(out.text)).toEqual([`${figures.tick} Container p-db-1  Stopped  0.0s`]);
    // Closing with nothing drawn writes nothing.
    out.text = '';
    await tty.close();
    expect(out.text).toBe('');
  });

  it('keeps the dry-run lines and holds back other writes until the list has ended', async () => {
    const out = new Capture();
    const tty = new TtyProgress({ stream: out, now: () => 0 });
    tty.sink({ kind: 'plan', lines: ['Container p-web-1  Create'] });
    expect(out.text).toBe('DRY-RUN MODE -  Container p-web-1  Create\n');
    tty.sink(act('p-web-1', 'working', 'Creating'));
    await new Promise((resolve) => setImmediate(resolve));
    out.write('a warning\n');
    tty.sink(act('p-web-1', 'done', 'Created'));
    await tty.close();
    const text = stripVTControlCharacters(out.text);
    expect(text.indexOf('a warning')).toBeGreaterThan(text.lastIndexOf('Container p-web-1  Created'));
  });

  it.runIf(existsSync(COMPILED))('keeps no process alive: a list nobody closed is closed, with its last frame, when the process is done', () => {
    const script = `const { TtyProgress } = await import(${JSON.stringify(COMPILED.href)});
      const tty = new TtyProgress({ stream: process.stdout, now: () => 0 });
      tty.sink({ kind: 'action', resource: 'p-web-1', status: 'working', text: 'Starting' });
      tty.sink({ kind: 'action', resource: 'p-web-1', status: 'done', text: 'Started' });`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 30_000 });
    expect(finalFrame(out)).toEqual([`${figures.tick} Container p-web-1  Started  0.0s`]);
    expect(out.endsWith('\x1b[?25h')).toBe(true);
  });

  it('needs the growing list: listr2 runs only the tasks a list had when it started', async () => {
    const ran: string[] = [];
    const list: Listr<object, 'silent'> = new Listr([{
      title: 'first',
      task: () => {
        ran.push('first');
        // Added while the list runs, as a resource the plan reaches later would be.
        list.add({ title: 'later', task: () => void ran.push('later') });
      },
    }], { renderer: 'silent' });
    await list.run();
    expect(list.tasks.map((t) => t.title)).toEqual(['first', 'later']);
    expect(ran).toEqual(['first']);
  });

  it('labels resources as Compose does and picks the mode from --progress and the terminal', () => {
    expect(resourceLabel('p-web-1')).toBe('Container p-web-1');
    expect(resourceLabel('volume p_data')).toBe('Volume p_data');
    expect(resourceLabel('image busybox:1')).toBe('Image busybox:1');
    expect(progressMode(undefined, true)).toBe('tty');
    expect(progressMode('auto', false)).toBe('plain');
    expect(progressMode('json', true)).toBe('json');
  });
});

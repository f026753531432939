import { describe, expect, it } from 'vitest';
import chalk from 'chalk';
import { figures } from 'listr2';
import { TtyProgress, resourceLabel } from '../../../../src/cli/render/tty-progress.js';
import { progressMode } from '../../../../src/cli/render/progress.js';

describe('the terminal progress display', () => {
  chalk.level = 0;

  it('draws a header and one line per resource, redrawing the frame in place', () => {
    const out: string[] = [];
    let now = 1000;
    const tty = new TtyProgress({ write: (t) => out.push(t) }, () => now);
    tty.sink({ kind: 'action', resource: 'p-db-1', status: 'working', text: 'Creating' });
    now = 1500;
    tty.sink({ kind: 'action', resource: 'volume p_data', status: 'done', text: 'Created' });
    tty.sink({ kind: 'action', resource: 'p-db-1', status: 'done', text: 'Started' });
    expect(tty.frame()).toEqual([
      '[+] Running 2/2',
      ` ${figures.tick} Container p-db-1  Started  0.5s`,
      ` ${figures.tick} Volume p_data     Created  0.0s`,
    ]);
    // The first frame is written as is; later ones move the cursor up over the previous frame first.
    expect(out[0]?.startsWith('\x1b[')).toBe(false);
    expect(out[1]?.startsWith('\x1b[2A\r\x1b[J')).toBe(true);
    expect(out[2]?.startsWith('\x1b[3A\r\x1b[J')).toBe(true);
  });

  it('marks a failure and keeps only what fits the terminal', () => {
    const tty = new TtyProgress({ write: () => undefined, rows: 3 }, () => 0);
    for (const n of [1, 2, 3]) tty.sink({ kind: 'action', resource: `p-web-${n}`, status: 'working', text: 'Starting' });
    tty.sink({ kind: 'action', resource: 'p-web-3', status: 'failed', text: 'exec: no such file' });
    const frame = tty.frame();
    expect(frame).toHaveLength(2);
    expect(frame[0]).toBe('[+] Running 1/3');
    expect(frame[1]).toContain('Container p-web-3  Error exec: no such file');
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

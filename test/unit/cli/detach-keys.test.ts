import { describe, expect, it } from 'vitest';
import { detachKeys } from '../../../src/cli/attach-container.js';

const P = 0x10;
const Q = 0x11;

describe('detachKeys', () => {
  it('passes bytes before Ctrl-P Ctrl-Q on, and detaches on the sequence, also split over two reads', () => {
    let detached = 0;
    const keys = detachKeys(() => detached++);
    expect([...keys(Buffer.from('ls\n'))]).toEqual([...Buffer.from('ls\n')]);
    expect([...keys(Uint8Array.from([0x61, P]))]).toEqual([0x61]);
    expect(detached).toBe(0);
    expect([...keys(Uint8Array.from([Q, 0x62]))]).toEqual([]);
    expect(detached).toBe(1);
    // Nothing is sent after the detach.
    expect([...keys(Buffer.from('more'))]).toEqual([]);
  });

  it('sends a held Ctrl-P along when the next byte is not Ctrl-Q', () => {
    let detached = 0;
    const keys = detachKeys(() => detached++);
    expect([...keys(Uint8Array.from([P]))]).toEqual([]);
    expect([...keys(Uint8Array.from([0x78, P, P, Q]))]).toEqual([P, 0x78, P]);
    expect(detached).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { FollowedLogs } from '../../../src/cli/followed-logs.js';

const BEGAN = Date.parse('2026-03-01T10:00:00.000Z');
const start = (id: string, at = BEGAN + 5): { time: string; action: string; id: string } => ({ time: new Date(at).toISOString(), action: 'start', id });

describe('FollowedLogs: which logs logs -f follows, from where', () => {
  it('follows a container found at the beginning once, with the --tail and --since given', () => {
    const followed = new FollowedLogs({ tail: 2, sinceMs: 1_000 }, BEGAN);
    expect(followed.present('a')).toEqual({ id: 'a', tail: 2, sinceMs: 1_000, skip: 0 });
    expect(followed.present('a')).toBeUndefined();
    expect(followed.active).toBe(1);
  });

  it('ignores a start event of a container it follows already, and handles each event once', () => {
    const followed = new FollowedLogs({}, BEGAN);
    followed.present('a');
    expect(followed.event(start('a'))).toBeUndefined();
    expect(followed.event(start('b'))).toEqual({ id: 'b', skip: 0 });
    followed.ended('b');
    // The same event read again (live, then by the full read) attaches nothing.
    expect(followed.event(start('b'))).toBeUndefined();
    expect(followed.ids).toEqual(['a', 'b']);
    expect(followed.active).toBe(1);
  });

  it('follows a container that starts later from its first line: --tail is for the containers present at the beginning', () => {
    const followed = new FollowedLogs({ tail: 0, sinceMs: 500 }, BEGAN);
    expect(followed.event(start('late'))).toEqual({ id: 'late', sinceMs: 500, skip: 0 });
  });

  it('only looks at start events', () => {
    const followed = new FollowedLogs({}, BEGAN);
    for (const action of ['create', 'die', 'destroy', 'stop']) expect(followed.event({ time: start('x').time, action, id: 'x' })).toBeUndefined();
    expect(followed.ids).toEqual([]);
  });

  it('resumes a log after the last record printed, counting the records of the same millisecond', () => {
    const followed = new FollowedLogs({}, BEGAN);
    followed.present('a');
    followed.printed('a', BEGAN + 1);
    followed.printed('a', BEGAN + 2);
    followed.printed('a', BEGAN + 2);
    expect(followed.resume('a')).toEqual({ id: 'a', sinceMs: BEGAN + 2, skip: 2 });
    // A later start event of the ended log resumes it there.
    followed.ended('a');
    expect(followed.event(start('a', BEGAN + 10))).toEqual({ id: 'a', sinceMs: BEGAN + 2, skip: 2 });
    expect(followed.active).toBe(1);
  });

  it('with --tail, never prints on a resume the lines the tail left out', () => {
    const followed = new FollowedLogs({ tail: 0 }, BEGAN);
    followed.present('a');
    expect(followed.resume('a')).toEqual({ id: 'a', sinceMs: BEGAN, skip: 0 });
    // Records older than the beginning (the tail's) do not move the resume point back.
    followed.printed('a', BEGAN - 50);
    expect(followed.resume('a')).toEqual({ id: 'a', sinceMs: BEGAN, skip: 0 });
    followed.printed('a', BEGAN + 3);
    expect(followed.resume('a')).toEqual({ id: 'a', sinceMs: BEGAN + 3, skip: 1 });
  });

  it('without anything printed, resumes from --since (or the first line)', () => {
    const followed = new FollowedLogs({ sinceMs: 700 }, BEGAN);
    followed.present('a');
    expect(followed.resume('a')).toEqual({ id: 'a', sinceMs: 700, skip: 0 });
    const all = new FollowedLogs({}, BEGAN);
    all.present('b');
    expect(all.resume('b')).toEqual({ id: 'b', skip: 0 });
  });
});

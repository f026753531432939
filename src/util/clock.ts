/** The wall clock and monotonic time, injected so tests can control time. */
export interface Clock {
  now(): number;
  monotonic(): number;
}

export const systemClock: Clock = {
  // eslint-disable-next-line no-restricted-properties -- the one place that reads the real clock
  now: () => Date.now(),
  monotonic: () => performance.now(),
};

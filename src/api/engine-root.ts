import { TscError } from '../errors/index.js';

/** Commands that run containers or read the runtime's state need root: NEEDS_ROOT before anything is touched. */
export function requireRoot(uid = process.getuid?.() ?? 0): void {
  if (uid !== 0) {
    throw new TscError('NEEDS_ROOT', 'this command runs containers and needs root', {
      hint: 'run it with sudo; running rootless is not supported yet (`tscompose config` works without root)',
    });
  }
}

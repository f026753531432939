import { describe, expect, it } from 'vitest';
import { truncateCommand } from '../../../src/cli/commands/ps.js';

describe('ps COMMAND column', () => {
  it('keeps a short command, cuts a long one to 20 characters with an ellipsis, on one line', () => {
    expect(truncateCommand('sleep 600')).toBe('sleep 600');
    expect(truncateCommand('httpd -f -p 8080 -h /data')).toBe('httpd -f -p 8080 -h…');
    expect([...truncateCommand('httpd -f -p 8080 -h /data')]).toHaveLength(20);
    expect(truncateCommand('sh -c mkdir\n  echo')).toBe('sh -c mkdir echo');
  });
});

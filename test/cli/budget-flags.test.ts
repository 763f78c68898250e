/** --max-memory sizes: binary units, optional B/iB, refused when malformed or beyond exact integers. */
import { describe, expect, it } from 'vitest';
import { byteSize } from '../../cli/budget-flags';

describe('--max-memory SIZE', () => {
  it.each([
    ['1024', 1024],
    ['512M', 512 * 2 ** 20],
    ['8G', 8 * 2 ** 30],
    ['8gib', 8 * 2 ** 30],
    ['1.5T', 1.5 * 2 ** 40],
    ['64 KB', 64 * 1024],
  ])('%s is %d bytes', (text, bytes) => {
    expect(byteSize.parse(text)).toBe(bytes);
  });

  it.each(['lots', '-1G', '8X', '', '1e3G', '99999999999999999999999T'])('%s is refused', (text) => {
    expect(byteSize.safeParse(text).success).toBe(false);
  });
});

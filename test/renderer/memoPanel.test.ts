import { describe, expect, it } from 'vitest';
import { sameProps } from '../../renderer/src/panels/memoPanel';

describe('the panels’ props comparison', () => {
  const live = { result: 1 };
  const onView = () => {};
  it('equal: the same objects, and lists rebuilt with the same elements (case names each render)', () => {
    expect(sameProps({ live, names: ['a', 'b'], onView }, { live, names: ['a', 'b'], onView })).toBe(true);
  });
  it('different: a new result object, a renamed case, a longer list, an extra prop', () => {
    expect(sameProps({ live }, { live: { result: 1 } })).toBe(false);
    expect(sameProps({ names: ['a', 'b'] }, { names: ['a', 'c'] })).toBe(false);
    expect(sameProps({ names: ['a'] }, { names: ['a', 'b'] })).toBe(false);
    expect(sameProps<Record<string, unknown>>({ live }, { live, error: null })).toBe(false);
  });
});

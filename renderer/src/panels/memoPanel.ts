/**
 * React.memo for the panels: the app re-renders on every live result, and a panel whose inputs did not change
 * (the results map when a derivative arrives, the gradient curves when the hessian does) skips its redraw.
 * Props compare shallowly, and arrays element by element (lists such as case names are rebuilt each render).
 */
import { type FunctionComponent, memo } from 'react';

export function sameProps<P extends object>(a: P, b: P): boolean {
  const keys = Object.keys(a) as (keyof P)[];
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => {
    const [x, y] = [a[k], b[k]];
    if (Object.is(x, y)) return true;
    return (
      Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((v, i) => Object.is(v, y[i]))
    );
  });
}

export function memoPanel<P extends object>(component: FunctionComponent<P>) {
  return memo(component, sameProps);
}

/** A value that follows `value` after `ms` of quiet. */
import { useEffect, useState } from 'react';

/** Debounces `value` by `ms` milliseconds. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

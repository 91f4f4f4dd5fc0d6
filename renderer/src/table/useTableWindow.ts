/**
 * Rows of a server-side table, fetched in blocks of 100 through `table:query` as the viewport
 * needs them: `need(first, last)` asks for a range, `row(i)` returns a loaded row or undefined
 * (a placeholder is drawn), `total` is the matching row count. Changing the criteria starts a new
 * generation (older answers are dropped). At most three requests run at once: the visible range
 * first, then one block of read-ahead each side; up to 60 blocks stay cached, farthest from the
 * viewport evicted first.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TableCriteriaIn } from '../../../main/ipc/contract';
import type { TableRow } from '../../../main/ipc/tables/types';
import { api, messageOf } from '../api';

/** Rows per request. */
export const BLOCK_SIZE = 100;
const MAX_IN_FLIGHT = 3;
const MAX_BLOCKS = 60;

/** The loaded window state. */
export interface TableWindowState {
  /** Matching rows in all; null until the first answer. */
  total: number | null;
  row: (index: number) => TableRow | undefined;
  need: (first: number, last: number) => void;
  /** Drops every cached block and reloads the visible range (after an action changed rows). */
  reload: () => void;
  error: string | null;
  /** Bumps whenever blocks arrive (for memo dependencies). */
  version: number;
  /** Rows loaded now (for "select every row shown"). */
  loadedRows: () => TableRow[];
}

/** Windowed rows of `criteria` (null = not ready to query yet). */
export function useTableWindow(criteria: TableCriteriaIn | null): TableWindowState {
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const blocks = useRef(new Map<number, TableRow[]>());
  const inFlight = useRef(new Set<number>());
  const wanted = useRef<[number, number]>([0, 0]);
  const generation = useRef(0);
  const totalRef = useRef<number | null>(null);
  const criteriaRef = useRef(criteria);
  const key = JSON.stringify(criteria);

  const pump = useCallback(() => {
    const c = criteriaRef.current;
    if (!c) return;
    const [firstBlock, lastBlock] = wanted.current;
    // Visible blocks first, then one block of read-ahead on each side (below first: scrolling down is the common case).
    const order: number[] = [];
    for (let b = firstBlock; b <= lastBlock; b++) order.push(b);
    order.push(lastBlock + 1);
    if (firstBlock > 0) order.push(firstBlock - 1);
    for (const b of order) {
      if (inFlight.current.size >= MAX_IN_FLIGHT) break;
      if (blocks.current.has(b) || inFlight.current.has(b)) continue;
      if (totalRef.current !== null && b * BLOCK_SIZE >= totalRef.current) continue;
      const gen = generation.current;
      inFlight.current.add(b);
      api()
        .invoke('table:query', { ...c, offset: b * BLOCK_SIZE, limit: BLOCK_SIZE })
        .then((res) => {
          if (gen !== generation.current) return;
          blocks.current.set(b, res.rows);
          totalRef.current = res.total;
          if (blocks.current.size > MAX_BLOCKS) evict();
          setTotal(res.total);
          setError(null);
          setVersion((v) => v + 1);
        })
        .catch((err: unknown) => {
          if (gen === generation.current) setError(messageOf(err));
        })
        .finally(() => {
          if (gen !== generation.current) return;
          inFlight.current.delete(b);
          pump();
        });
    }
  }, []);

  const evict = () => {
    const [a, z] = wanted.current;
    const mid = (a + z) / 2;
    const far = [...blocks.current.keys()].sort((x, y) => Math.abs(y - mid) - Math.abs(x - mid));
    for (const b of far.slice(0, blocks.current.size - MAX_BLOCKS)) blocks.current.delete(b);
  };

  const reset = useCallback(() => {
    generation.current++;
    blocks.current = new Map();
    inFlight.current = new Set();
    setError(null);
    setVersion((v) => v + 1);
    pump();
  }, [pump]);

  useEffect(() => {
    criteriaRef.current = criteria;
    totalRef.current = null;
    setTotal(null);
    wanted.current = [0, 0];
    reset();
    // `criteria` is compared by value through `key`.
  }, [key, reset]);

  const need = useCallback(
    (first: number, last: number) => {
      const fb = Math.max(0, Math.floor(first / BLOCK_SIZE));
      const lb = Math.max(fb, Math.floor(Math.max(first, last) / BLOCK_SIZE));
      if (wanted.current[0] === fb && wanted.current[1] === lb) return;
      wanted.current = [fb, lb];
      pump();
    },
    [pump],
  );

  const row = useCallback((index: number) => blocks.current.get(Math.floor(index / BLOCK_SIZE))?.[index % BLOCK_SIZE], []);
  const loadedRows = useCallback(() => [...blocks.current.values()].flat(), []);

  return { total, row, need, reload: reset, error, version, loadedRows };
}

/** The current page and its parameters, kept in the location hash (`#/devices?q=C02XYZ`). */
import { isPageId, type PageId } from './nav';

/** A route: page and an optional search to open it with. */
export interface Route {
  page: PageId;
  search?: string;
}

/** The route of `hash` (Bench when empty or unknown). */
export function parseHash(hash: string): Route {
  const m = /^#\/([a-z]+)(?:\?q=(.*))?$/.exec(hash);
  if (!m || !isPageId(m[1])) return { page: 'bench' };
  return { page: m[1], search: m[2] ? decodeURIComponent(m[2]) : undefined };
}

/** The hash of `route`. */
export function toHash(route: Route): string {
  return `#/${route.page}${route.search ? `?q=${encodeURIComponent(route.search)}` : ''}`;
}

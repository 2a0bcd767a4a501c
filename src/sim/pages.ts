import type { CallLog } from '../xassist/types';
import type { ListOrder } from './variants';

/** The Spring Data paging parameters of a list request. */
export interface PageQuery {
  /** 0-based */
  page: number;
  size: number;
  /** every `sort` parameter, e.g. `id,desc` */
  sort: string[];
}

/** A Spring Data page (without `pageable`, which no client reads). */
export interface Page<T> {
  content: T[];
  totalElements: number;
  totalPages: number;
  number: number;
  size: number;
  numberOfElements: number;
  first: boolean;
  last: boolean;
  empty: boolean;
}

const DEFAULT_PAGE_SIZE = 20;

/** The paging parameters of `params`, with Spring's defaults for missing or invalid ones. */
export function pageQuery(params: URLSearchParams): PageQuery {
  return {
    page: integerAtLeast(params.get('page'), 0, 0),
    size: integerAtLeast(params.get('size'), 1, DEFAULT_PAGE_SIZE),
    sort: params.getAll('sort'),
  };
}

/**
 * `query` as a server capping pages at `cap` items serves it (Spring's
 * `spring.data.web.pageable.max-page-size`): a larger `size` is cut down to the cap, and page N
 * holds items N*cap to N*cap+cap-1. A null cap changes nothing.
 */
export function cappedQuery(query: PageQuery, cap: number | null): PageQuery {
  return cap !== null && query.size > cap ? { ...query, size: cap } : query;
}

/** Page `query.page` of `items`, already in the order the server answers them. */
export function pageOf<T>(items: readonly T[], query: PageQuery): Page<T> {
  const start = query.page * query.size;
  const content = items.slice(start, start + query.size);
  const totalPages = Math.ceil(items.length / query.size);
  return {
    content,
    totalElements: items.length,
    totalPages,
    number: query.page,
    size: query.size,
    numberOfElements: content.length,
    first: query.page === 0,
    last: query.page >= totalPages - 1,
    empty: content.length === 0,
  };
}

/** One page of `calls` in the order a server with `order` answers (see `Variants.listOrder`). */
export function callPage(calls: CallLog[], query: PageQuery, order: ListOrder): Page<CallLog> {
  const page = pageOf(sortedById(calls, directionOf(order, query.sort)), query);
  return order === 'shuffle' ? { ...page, content: shuffled(page.content) } : page;
}

function directionOf(order: ListOrder, sort: string[]): 'asc' | 'desc' {
  if (order === 'asc') return requestedIdOrder(sort) ?? 'asc';
  return order === 'asc-always' ? 'asc' : 'desc';
}

/** The direction a `sort=id[,asc|desc]` parameter asks for, if one does. */
function requestedIdOrder(sort: string[]): 'asc' | 'desc' | undefined {
  for (const parameter of sort) {
    const [field, direction = 'asc'] = parameter.split(',').map((part) => part.trim());
    const normalised = direction.toLowerCase();
    if (field === 'id' && (normalised === 'asc' || normalised === 'desc')) return normalised;
  }
  return undefined;
}

function sortedById(calls: CallLog[], direction: 'asc' | 'desc'): CallLog[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...calls].sort((a, b) => sign * ((a.id ?? 0) - (b.id ?? 0)));
}

/** A copy in a random order (Fisher–Yates). */
function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function integerAtLeast(text: string | null, min: number, fallback: number): number {
  const value = Number(text ?? undefined);
  return Number.isInteger(value) && value >= min ? value : fallback;
}

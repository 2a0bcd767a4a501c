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

/** One page of `calls` in the order a server with `order` answers (see `Variants.listOrder`). */
export function callPage(calls: CallLog[], query: PageQuery, order: ListOrder): Page<CallLog> {
  const direction = order === 'asc' ? (requestedIdOrder(query.sort) ?? 'asc') : 'desc';
  const start = query.page * query.size;
  const slice = sortedById(calls, direction).slice(start, start + query.size);
  const content = order === 'shuffle' ? shuffled(slice) : slice;
  const totalPages = Math.ceil(calls.length / query.size);
  return {
    content,
    totalElements: calls.length,
    totalPages,
    number: query.page,
    size: query.size,
    numberOfElements: content.length,
    first: query.page === 0,
    last: query.page >= totalPages - 1,
    empty: content.length === 0,
  };
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

import { serverDate } from '../xassist/dates';
import type { RequestOptions } from '../xassist/api';
import type { CallLog, Page } from '../xassist/types';

export interface HistoryQuery {
  /** at most this many calls, newest first */
  limit: number;
  /** epoch ms: only calls made since */
  since?: number;
  pageSize: number;
  /** pages read at most: a tenant's whole history is not read by mistake */
  maxPages: number;
}

export interface HistoryRead {
  calls: CallLog[];
  pages: number;
  /** why reading stopped: enough calls, older than `since`, no more calls, or the page limit */
  stoppedBy: 'limit' | 'since' | 'end' | 'page-limit';
}

export type PageReader = (
  page: number,
  size: number,
  options?: RequestOptions,
) => Promise<Page<CallLog>>;

/**
 * Reads the tenant's calls page by page, newest first, until it has `limit` of them, reaches a
 * call older than `since`, runs out of calls or reaches `maxPages`. A call that moves to the
 * next page while reading (new calls push the list down) is kept once.
 */
export async function readHistory(
  readPage: PageReader,
  query: HistoryQuery,
  options: RequestOptions & { onPage?: (pages: number, calls: number) => void } = {},
): Promise<HistoryRead> {
  const calls = new Map<string, CallLog>();
  for (let page = 0; ; page++) {
    if (page >= query.maxPages) return done('page-limit');
    const answer = await readPage(page, query.pageSize, { signal: options.signal });
    for (const call of answer.content) {
      const startedAt = serverDate(call.callStart);
      if (query.since !== undefined && startedAt !== undefined && startedAt < query.since) {
        return done('since', page + 1);
      }
      if (!calls.has(call.callId)) calls.set(call.callId, call);
      if (calls.size >= query.limit) return done('limit', page + 1);
    }
    options.onPage?.(page + 1, calls.size);
    if (answer.last || answer.content.length === 0) return done('end', page + 1);
  }

  function done(stoppedBy: HistoryRead['stoppedBy'], pages = query.maxPages): HistoryRead {
    return { calls: [...calls.values()], pages, stoppedBy };
  }
}

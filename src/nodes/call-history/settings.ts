import type { NodeDef } from 'node-red';
import type { HistoryQuery } from '../../history/reader';
import { FieldError } from '../../mapping/field-error';
import type { NodeKit } from '../../node-red/skeleton';
import { isEmpty } from '../../node-red/settings';
import { flowDate } from '../../xassist/dates';

export interface CallHistoryConfig extends NodeDef {
  server?: string;
  /** calls at most; empty: msg.limit, else 100 */
  limit?: string | number;
  /** hours back; empty: msg.since, else no bound */
  hours?: string | number;
  pageSize?: string | number;
  maxPages?: string | number;
}

export interface HistorySettings {
  /** undefined: msg.limit, else DEFAULT_LIMIT */
  limit?: number;
  /** undefined: msg.since, else no bound */
  hours?: number;
  pageSize: number;
  maxPages: number;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 100_000;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1_000;
const DEFAULT_MAX_PAGES = 100;

export function historySettingsOf(config: CallHistoryConfig, kit: NodeKit): HistorySettings {
  const { t } = kit;
  const limit = !isEmpty(config.limit)
    ? kit.number(config.limit, {
        label: t('label.limit'),
        fallback: DEFAULT_LIMIT,
        min: 1,
        max: MAX_LIMIT,
        integer: true,
      })
    : undefined;
  const hours = !isEmpty(config.hours)
    ? kit.number(config.hours, { label: t('label.hours'), fallback: 24, min: 0.001 })
    : undefined;
  const pageSize = kit.number(config.pageSize, {
    label: t('label.pageSize'),
    fallback: DEFAULT_PAGE_SIZE,
    min: 1,
    max: MAX_PAGE_SIZE,
    integer: true,
  });
  const maxPages = kit.number(config.maxPages, {
    label: t('label.maxPages'),
    fallback: DEFAULT_MAX_PAGES,
    min: 1,
    integer: true,
  });
  return { limit, hours, pageSize, maxPages };
}

/** The node's settings win; msg.limit and msg.since apply where a setting is empty. */
export function queryOf(
  settings: HistorySettings,
  msg: { limit?: unknown; since?: unknown },
  now: number,
): HistoryQuery {
  const limit = settings.limit ?? limitOf(msg.limit) ?? DEFAULT_LIMIT;
  const since =
    settings.hours !== undefined ? now - settings.hours * 3_600_000 : sinceOf(msg.since);
  return { limit, since, pageSize: settings.pageSize, maxPages: settings.maxPages };
}

function limitOf(value: unknown): number | undefined {
  if (isEmpty(value)) return undefined;
  const limit = typeof value === 'string' ? Number(value) : value;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new FieldError('limit', `must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  return limit;
}

/** msg.since: epoch ms, an ISO date text, or a Date. */
function sinceOf(value: unknown): number | undefined {
  if (isEmpty(value)) return undefined;
  const since = flowDate(value);
  if (since === undefined) {
    throw new FieldError('since', 'must be a date: epoch milliseconds, an ISO text or a Date');
  }
  return since;
}

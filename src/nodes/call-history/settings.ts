import type { NodeDef } from 'node-red';
import type { HistoryQuery } from '../../history/reader';
import { FieldError } from '../../mapping/field-error';
import type { NodeKit } from '../../node-red/skeleton';
import { isEmpty } from '../../node-red/settings';
import { CALL_HISTORY_SCHEMA, DEFAULT_LIMIT, MAX_LIMIT } from './schema';
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

const { fields } = CALL_HISTORY_SCHEMA;

export function historySettingsOf(config: CallHistoryConfig, kit: NodeKit): HistorySettings {
  const { t } = kit;
  return {
    limit: kit.number(config.limit, fields.limit, t('label.limit')),
    hours: kit.number(config.hours, fields.hours, t('label.hours')),
    pageSize: kit.number(config.pageSize, fields.pageSize, t('label.pageSize')),
    maxPages: kit.number(config.maxPages, fields.maxPages, t('label.maxPages')),
  };
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

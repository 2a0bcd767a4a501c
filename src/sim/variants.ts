import { ASSET_SIZES, type AssetSize, type CallEvent, type CallLog } from '../xassist/types';
import { DATE_STYLES, presentDate, type DateStyle } from './date-forms';

export type { DateStyle } from './date-forms';
/** What the refresh endpoint does instead of refreshing; see `Variants.refreshFault`. */
export type RefreshFault = 'none' | '500' | 'html' | 'redirect' | 'no-token';
/** The order of getFilteredCallLogsV2 pages; see `Variants.listOrder`. */
export type ListOrder = 'desc' | 'asc' | 'asc-always' | 'shuffle';
/** The order of users/list; see `Variants.userOrder`. */
export type UserOrder = 'realName' | 'id';
/** What getCallLogById answers for a call id it does not know; see `Variants.notFound`. */
export type NotFoundForm = 'json' | 'html' | '400';
/** The checksum an asset carries; see `Variants.assetChecksum`. */
export type AssetChecksum = 'sha256' | 'md5' | 'none';
/** Whether the server has the asset download; see `Variants.assetEndpoint`. */
export type AssetEndpoint = 'present' | 'missing';

/** The ways a real xAssist server may differ (shared/xassist-api.md, "Variants"). */
export interface Variants {
  /**
   * dates in CallLogs and their events: `iso` ISO texts in UTC with `Z` (the default), `epoch`
   * epoch-millisecond numbers (Java `Date`s by Jackson), `offset` ISO texts with `+02:00` (the
   * same instant), `no-zone` ISO texts of the UTC wall time without a zone (a `LocalDateTime`),
   * `numeric-text` epoch milliseconds as a text
   */
  dates: DateStyle;
  /** the status for a missing, expired or revoked token: 401 (the default) or Spring's 403 */
  expiredStatus: 401 | 403;
  /**
   * the refresh endpoint, when set: `none` answers 404, `500` a Spring 500, `html` a 200 login
   * page, `redirect` a 302 to the login page, `no-token` a 200 login answer without `token`.
   * A faulty refresh never spends the refresh token.
   */
  refreshFault?: RefreshFault;
  /**
   * getFilteredCallLogsV2: `desc` newest first whatever is asked; `asc` oldest first unless
   * `sort=id,desc|asc` asks otherwise (Spring Data without a default order); `asc-always` oldest
   * first whatever `sort` asks (the newest calls on the last page); `shuffle` the newest calls
   * in a random order, `sort` ignored
   */
  listOrder: ListOrder;
  /**
   * the most items getFilteredCallLogsV2 and users/list answer in a page whatever `size` asks,
   * their page metadata those of the capped size (Spring's max-page-size); null: no cap
   */
  pageSizeCap: number | null;
  /**
   * users/list: `realName` ascending (case-insensitive, then by id), as public client code asks
   * with `sort=realName,asc` (the default); `id` in the order the users were added
   */
  userOrder: UserOrder;
  /**
   * users/list answers each user's `status`, as public client code shows it: `ONLINE` for a user
   * who answers calls, `OFFLINE` for one who never does. Unset or false: no status, as the
   * simulator's users had before
   */
  userStatus?: boolean;
  /**
   * getCallLogById for a call id it does not know: `json` Spring's JSON 404 (the default, when
   * unset), `html` a 404 with Spring's HTML error page, `400` a Spring 400
   */
  notFound?: NotFoundForm;
  /**
   * the sizes `assets/download_asset_by_uri` answers bytes for; any other size answers a Spring
   * 400, as for a value its enum lacks. Unset: SMALL, MEDIUM, LARGE and ORIGINAL
   */
  assetSizes?: AssetSize[];
  /**
   * an asset's `checksum`: `sha256` the hex SHA-256 of its ORIGINAL bytes (the default, when
   * unset), `md5` their hex MD5, `none` no `checksum` field. Computed when an asset is shared,
   * as a server does on upload: setting it changes the assets shared afterwards
   */
  assetChecksum?: AssetChecksum;
  /**
   * `missing`: `assets/download_asset_by_uri` is a route this server lacks, answered as every
   * unknown route is (Spring's JSON 404 "No message available", before any token check, counted
   * as `other`); `present` (the default, when unset): it answers
   */
  assetEndpoint?: AssetEndpoint;
}

export const DEFAULT_VARIANTS: Readonly<Variants> = {
  dates: 'iso',
  expiredStatus: 401,
  listOrder: 'desc',
  pageSizeCap: null,
  userOrder: 'realName',
};

/** The values a variant takes, and how an error message names them. */
interface Rule {
  accepts: (value: unknown) => boolean;
  expected: string;
}

const RULES: Record<keyof Variants, Rule> = {
  dates: oneOf(...DATE_STYLES),
  expiredStatus: oneOf(401, 403),
  refreshFault: oneOf('none', '500', 'html', 'redirect', 'no-token'),
  listOrder: oneOf('desc', 'asc', 'asc-always', 'shuffle'),
  pageSizeCap: {
    accepts: (value) => value === null || (Number.isInteger(value) && (value as number) >= 1),
    expected: 'a whole number of 1 or more, or null for no cap',
  },
  userOrder: oneOf('realName', 'id'),
  userStatus: oneOf(true, false),
  notFound: oneOf('json', 'html', '400'),
  assetSizes: {
    accepts: (value) =>
      Array.isArray(value) &&
      new Set(value).size === value.length &&
      value.every((size) => (ASSET_SIZES as readonly unknown[]).includes(size)),
    expected: `a list of distinct sizes among ${ASSET_SIZES.map((size) => JSON.stringify(size)).join(', ')}`,
  },
  assetChecksum: oneOf('sha256', 'md5', 'none'),
  assetEndpoint: oneOf('present', 'missing'),
};

/**
 * The variants that may be unset (a null or undefined unsets them). Those but `refreshFault`
 * came after the first six, and `variantsAsJson` leaves them out while unset: the control API
 * answers a simulator that plays none of them as it did before them.
 */
const OPTIONAL: ReadonlySet<keyof Variants> = new Set([
  'refreshFault',
  'userStatus',
  'notFound',
  'assetSizes',
  'assetChecksum',
  'assetEndpoint',
]);

function oneOf(...choices: readonly unknown[]): Rule {
  return {
    accepts: (value) => choices.includes(value),
    expected: `one of ${choices.map((choice) => JSON.stringify(choice)).join(', ')}`,
  };
}

/**
 * `current` with the variants named in `changes` (a JSON object) set; throws on an unknown name
 * or value. A null or undefined optional variant is unset: a `refreshFault` of null makes the
 * refresh endpoint work again.
 */
export function withVariants(current: Readonly<Variants>, changes: unknown): Variants {
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) {
    throw new Error('variants must be a JSON object');
  }
  const next: Variants = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (!isVariantName(name)) {
      throw new Error(`unknown variant '${name}': one of ${Object.keys(RULES).join(', ')}`);
    }
    if (OPTIONAL.has(name) && (value === null || value === undefined)) {
      delete next[name];
      continue;
    }
    if (value === undefined) continue;
    if (!RULES[name].accepts(value)) throw new Error(`${name} must be ${RULES[name].expected}`);
    (next as unknown as Record<string, unknown>)[name] = value;
  }
  return next;
}

/**
 * The variants as JSON: an unset refreshFault shows as null rather than disappearing; the other
 * optional variants show only when set.
 */
export function variantsAsJson(variants: Readonly<Variants>): Record<string, unknown> {
  return { ...variants, refreshFault: variants.refreshFault ?? null };
}

function isVariantName(name: string): name is keyof Variants {
  return Object.prototype.hasOwnProperty.call(RULES, name);
}

/** A date as a server may answer it. */
export type AnsweredDate = string | number | null;

type DateField = 'callStart' | 'callEnd' | 'plannedDateTime';

/** A call event as answered: its `time` an ISO text or epoch milliseconds, or their text. */
export type AnsweredCallEvent = {
  [K in keyof CallEvent]: K extends 'time' ? AnsweredDate | undefined : CallEvent[K];
};

/** A CallLog as answered: its dates ISO texts or epoch milliseconds, or their text. */
export type AnsweredCallLog = {
  [K in keyof CallLog]: K extends DateField
    ? AnsweredDate | undefined
    : K extends 'callEvents'
      ? AnsweredCallEvent[] | undefined
      : CallLog[K];
};

/**
 * A stored call (dates always ISO) as the server answers it under `variants`: a copy with its
 * dates in the variant's style; the call itself, untouched, for `iso`.
 */
export function presentCall(call: CallLog, variants: Pick<Variants, 'dates'>): AnsweredCallLog {
  const style = variants.dates;
  if (style === 'iso') return call;
  return {
    ...call,
    callStart: presentDate(call.callStart, style),
    callEnd: presentDate(call.callEnd, style),
    plannedDateTime: presentDate(call.plannedDateTime, style),
    callEvents: call.callEvents?.map((event) => presentEvent(event, variants)),
  };
}

/** A stored call event as the server answers it under `variants`. */
export function presentEvent(
  event: CallEvent,
  variants: Pick<Variants, 'dates'>,
): AnsweredCallEvent {
  return variants.dates === 'iso'
    ? event
    : { ...event, time: presentDate(event.time, variants.dates) };
}

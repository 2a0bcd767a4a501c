import type { Probe } from './probe';
import type { Session } from './connection';
import { countOf, countsText, dateFormOf, type DateForm } from './dates';
import { differs, expected, pageItems, unknown, type Finding } from './finding';
import { LARGE_PAGE, pageCap } from './users';

type Call = Record<string, unknown>;

/** getFilteredCallLogsV2: its order, page-size cap, dates, names, statuses and events. */
export async function checkCalls(probe: Probe, session: Session): Promise<Finding[]> {
  const page = (params: Record<string, string | number>) =>
    probe.send('rtc/getFilteredCallLogsV2', { params, token: session.token });
  const [desc, unsorted, large] = await Promise.all([
    page({ page: 0, size: 20, sort: 'id,desc' }),
    page({ page: 0, size: 20 }),
    page({ page: 0, size: LARGE_PAGE, sort: 'id,desc' }),
  ]);
  const calls = desc && pageItems(desc.json);
  if (!calls) {
    const why = desc ? `HTTP ${desc.status}, not a page` : `no answer: ${probe.lastError}`;
    return [unknown('calls', 'call logs', why)];
  }
  const largeCalls = (large && pageItems(large.json)) ?? [];
  return [
    callOrder(calls, (unsorted && pageItems(unsorted.json)) ?? []),
    large && pageItems(large.json)
      ? pageCap('calls-page', 'call logs page size', large.json, largeCalls.length)
      : unknown('calls-page', 'call logs page size', `no page of ${LARGE_PAGE}`),
    callDates(largeCalls.length ? largeCalls : calls),
    callNames(calls),
    callContents(largeCalls.length ? largeCalls : calls),
  ];
}

/** `desc`, `asc` (sort followed when asked), `asc-always` or `shuffle`, from two pages. */
function callOrder(asked: Call[], unsorted: Call[]): Finding {
  const title = 'call logs order';
  const ids = (calls: Call[]) => calls.map((call) => Number(call.id)).filter(Number.isFinite);
  const order = (values: number[]) =>
    values.every((id, i) => i === 0 || values[i - 1] > id)
      ? 'desc'
      : values.every((id, i) => i === 0 || values[i - 1] < id)
        ? 'asc'
        : 'neither';
  const askedIds = ids(asked);
  if (askedIds.length < 2) return unknown('calls-order', title, 'fewer than 2 calls to compare');
  const withSort = order(askedIds);
  if (withSort === 'desc') {
    const found =
      order(ids(unsorted)) === 'asc' ? 'oldest first, unless sort asks' : 'newest first';
    return expected('calls-order', title, `${found}; sort=id,desc followed`);
  }
  const always = withSort === 'asc';
  return differs(
    'calls-order',
    title,
    always ? 'oldest first whatever sort asks' : 'in no order',
    'the package reads the last pages too and sorts the calls itself: nothing to set',
    ['--list-order', always ? 'asc-always' : 'shuffle'],
  );
}

function callDates(calls: Call[]): Finding {
  const title = 'dates in call logs';
  const forms = countOf(
    calls
      .flatMap((call) => [
        call.callStart,
        call.callEnd,
        ...(Array.isArray(call.callEvents) ? call.callEvents : []).map(
          (event) => (event as Call | null)?.time,
        ),
      ])
      .map(dateFormOf)
      .filter((form): form is NonNullable<typeof form> => form !== undefined),
  );
  if (!forms.size) return unknown('calls-dates', title, 'no dates in the calls read');
  const found = countsText(forms);
  const [only] = forms.size === 1 ? forms.keys() : [];
  if (only === 'iso-utc') return expected('calls-dates', title, found);
  const played = only && DATE_FORMS_PLAYED[only as DateForm];
  if (played) return differs('calls-dates', title, found, played.advice, ['--dates', played.style]);
  return differs(
    'calls-dates',
    title,
    found,
    'the package reads each: ISO texts with or without a zone, epoch numbers, numeric texts',
  );
}

/** What the package does with each date form but ISO in UTC, and the simulator's that plays it. */
const DATE_FORMS_PLAYED: Partial<Record<DateForm, { advice: string; style: string }>> = {
  epoch: { advice: 'the package reads epoch numbers: nothing to set', style: 'epoch' },
  'numeric-text': {
    advice: 'the package reads numeric texts as epoch milliseconds: nothing to set',
    style: 'numeric-text',
  },
  'iso-offset': {
    advice: 'the package reads an offset as the instant it names: nothing to set',
    style: 'offset',
  },
  'iso-no-zone': {
    advice:
      'the package reads a date without a zone as UTC, as a Java server running on UTC writes ' +
      "it: nothing to set, unless the server's clock is on another zone (then every date is off)",
    style: 'no-zone',
  },
};

function callNames(calls: Call[]): Finding {
  const names = (['title', 'callTitle', 'anonymousJoinAllowed', 'anonymousJoinAllow'] as const)
    .filter((name) => calls.some((call) => name in call))
    .join(', ');
  return expected('calls-names', 'call log field names', names || 'none of the known spellings');
}

function callContents(calls: Call[]): Finding {
  const events = calls.flatMap((call) => (Array.isArray(call.callEvents) ? call.callEvents : []));
  const types = countOf(events.map((event) => String((event as Call | null)?.type)));
  const statuses = countOf(calls.map((call) => String(call.status ?? call.callStatus ?? '?')));
  const assets = events.filter((event) => {
    const fields = (event ?? {}) as Call;
    return 'assetUri' in fields || 'asset' in fields;
  }).length;
  return expected(
    'calls-contents',
    'calls and events seen',
    `${calls.length} calls (${countsText(statuses) || 'no status'}); events: ${countsText(types) || 'none'}; ${assets} with an asset`,
  );
}

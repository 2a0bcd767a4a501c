import { ASSET_SIZES } from '../xassist/types';
import type { Session } from './connection';
import { differs, expected, objectOf, pageItems, unknown, type Finding } from './finding';
import type { Answer, Probe } from './probe';

type Call = Record<string, unknown>;

/** how many of the newest calls are looked at */
const NEWEST = 20;
/** what a download may read of an asset: enough to know bytes come, never a whole photo */
const MAX_ASSET_BYTES = 4 * 1024;

/**
 * Whether the newest calls carry assets, and for one of them which `size` values
 * `assets/download_asset_by_uri` answers bytes for: one bounded read per size.
 */
export async function checkAssets(probe: Probe, session: Session): Promise<Finding[]> {
  const title = 'assets in calls';
  const calls = await newestCalls(probe, session);
  if (!calls) return [unknown('assets', title, 'the newest calls could not be read')];
  const shared = calls.filter((call) => urisOf(call).length > 0);
  if (!shared.length)
    return [expected('assets', title, `none in the ${calls.length} newest calls`)];
  const events = calls.flatMap(eventsOf).filter((event) => 'assetUri' in event || 'asset' in event);
  const listed = calls.flatMap((call) => (Array.isArray(call.assets) ? call.assets : []));
  const found = `${shared.length} of the ${calls.length} newest calls: ${events.length} events with an asset, ${listed.length} in assets[]`;
  return [
    differs(
      'assets',
      title,
      found,
      'call-status gives such events msg.asset and the ended call msg.assets; xassist-assets fetches them',
      ['--history', String(calls.length), '--history-assets'],
    ),
    await assetSizes(probe, session, urisOf(shared[0])[0]),
  ];
}

/**
 * The newest calls, by id, whatever order the server answers in: the first page asked newest
 * first, and the last page too when the first came oldest first.
 */
async function newestCalls(probe: Probe, session: Session): Promise<Call[] | undefined> {
  const page = async (number: number) => {
    const params = { page: number, size: NEWEST, sort: 'id,desc' };
    const answer = await probe.send('rtc/getFilteredCallLogsV2', { params, token: session.token });
    return answer && { items: pageItems(answer.json), meta: objectOf(answer.json) };
  };
  const first = await page(0);
  if (!first?.items) return undefined;
  const ids = first.items.map((call) => Number(call.id));
  const pages = typeof first.meta?.totalPages === 'number' ? first.meta.totalPages : 1;
  const last =
    ids.length > 1 && ids[0] < ids[ids.length - 1] && pages > 1 ? await page(pages - 1) : undefined;
  return [...first.items, ...(last?.items ?? [])]
    .sort((a, b) => Number(b.id) - Number(a.id))
    .slice(0, NEWEST);
}

function eventsOf(call: Call): Call[] {
  return (Array.isArray(call.callEvents) ? call.callEvents : []).map(
    (event) => objectOf(event) ?? {},
  );
}

/** The uris of the assets a call carries: its events' `assetUri` and `asset.uri`, its `assets[]`. */
function urisOf(call: Call): string[] {
  const uris = [
    ...eventsOf(call).flatMap((event) => [event.assetUri, objectOf(event.asset)?.uri]),
    ...(Array.isArray(call.assets) ? call.assets : []).map((asset) => objectOf(asset)?.uri),
  ];
  return [...new Set(uris.filter((uri): uri is string => typeof uri === 'string' && uri !== ''))];
}

/** Which sizes answer bytes for the asset at `uri`, the others with what they answered. */
async function assetSizes(probe: Probe, session: Session, uri: string): Promise<Finding> {
  const title = 'asset sizes';
  const answers = await Promise.all(
    ASSET_SIZES.map((size) =>
      probe.send('assets/download_asset_by_uri', {
        params: { uri, size },
        token: session.token,
        maxBytes: MAX_ASSET_BYTES,
      }),
    ),
  );
  if (answers.every((answer) => !answer)) {
    return unknown('asset-sizes', title, `no answer: ${probe.lastError}`);
  }
  const gives = (answer: Answer | undefined) => answer?.status === 200 && (answer.bytes ?? 0) > 0;
  const accepted = ASSET_SIZES.filter((_, index) => gives(answers[index]));
  const answering = `${accepted.join(', ')} ${accepted.length === 1 ? 'answers' : 'answer'} bytes`;
  if (accepted.length === ASSET_SIZES.length) return expected('asset-sizes', title, answering);
  const refused = ASSET_SIZES.map((size, index) => ({ size, answer: answers[index] }))
    .filter(({ answer }) => !gives(answer))
    .map(({ size, answer }) => `${size} ${outcomeOf(answer, probe)}`)
    .join(', ');
  if (answers.every((answer) => answer?.status === 401 || answer?.status === 403)) {
    return unknown('asset-sizes', title, `${refused}: this user may not download assets`);
  }
  const found = `${accepted.length ? answering : 'no size answers bytes'}; ${refused}`;
  const advice = accepted.length
    ? `set xassist-assets' Size to one of ${accepted.join(', ')} (it asks for SMALL unless set)`
    : 'xassist-assets cannot fetch an asset with any known size: tell us what the server answers';
  return differs('asset-sizes', title, found, advice, [
    '--asset-sizes',
    accepted.join(',') || 'none',
  ]);
}

function outcomeOf(answer: Answer | undefined, probe: Probe): string {
  if (!answer) return `no answer (${probe.lastError})`;
  return answer.status === 200 ? 'HTTP 200 without bytes' : `HTTP ${answer.status}`;
}

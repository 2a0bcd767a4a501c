#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { OutageOptions } from './outage';
import { Simulator, type SimulatorOptions } from './server';
import type { Variants } from './variants';

const USAGE = `Usage: xassist-sim [options]

A simulated xAssist server on this machine, for flows and tests without an account.

  --port <n>             port to listen on (default 8090; 0 picks a free one)
  --host <addr>          address to listen on (default 127.0.0.1)
  --tenant <name>        tenant path (default acme)
  --domain <name>        login domain (default ubimax)
  --token-lifetime <s>   access token lifetime in seconds (default 900)
  --opaque-tokens        issue opaque tokens instead of JWTs
  --no-refresh           no refresh endpoint (clients must log in again)
  --autoplay             invitees join 5 s after a call is created, the first of them shares
                         snapshot.jpg 2 s later; the call ends after 60 s
  --join-after <s>       with --autoplay: seconds until invitees join (default 5)
  --share-after <s>      with --autoplay: seconds after joining until the first invitee shares
                         snapshot.jpg (default 2; 0 for none)
  --end-after <s>        with --autoplay: seconds until the call ends (default 60)
  --history <calls>      start with that many ended calls over the last 24 h: 70 % joined
                         within 4 min, 10 % joined and lasting up to 45 min, 20 % joined by
                         nobody; the same ones at every start, moved to end now
                         (GET /_sim/history tells what each was)
  --history-assets       with --history: in every third call someone joined, from the newest,
                         the first to join shares a photo (an AssetShared event with assetUri
                         and asset, the call log's assets[]); the calls stay the same
  --users <n>            add n technicians tech1…tech<n> (password tech<i>-password, email
                         tech<i>@example.com) who answer calls, with made-up real names
  --tls-key <file> --tls-cert <file>   serve HTTPS

Variants a real server may show:
  --dates <style>        dates in call logs: iso (with Z, the default), epoch (numbers of
                         milliseconds), offset (ISO with +02:00, the same instant), no-zone
                         (ISO without a zone: the UTC wall time) or numeric-text (epoch
                         milliseconds as a text)
  --expired-status 403   answer 403 instead of 401 to a missing, expired or revoked token
  --refresh-fault <kind> the refresh endpoint fails: none (404), 500, html (200 with a login
                         page), redirect (302 to the login page) or no-token (200 without token)
  --list-order <order>   getFilteredCallLogsV2 order: desc (newest first, the default), asc
                         (oldest first unless sort=id,desc), asc-always (oldest first whatever
                         sort asks: the newest calls on the last page) or shuffle (random, sort
                         ignored)
  --page-size-cap <n>    getFilteredCallLogsV2 and users/list answer at most n items a page
                         whatever size asks, as Spring's max-page-size does
  --user-order <order>   users/list order: realName (by real name, the default) or id (as added)
  --user-status          users/list users carry a status: ONLINE, or OFFLINE for expert3
  --not-found <form>     getCallLogById for an unknown call id: json (Spring's JSON 404, the
                         default), html (404 with Spring's HTML error page) or 400
  --asset-sizes <list>   the sizes assets/download_asset_by_uri answers bytes for, comma-
                         separated (default SMALL,MEDIUM,LARGE,ORIGINAL; none for none); any
                         other size answers 400
  --asset-checksum <alg> an asset's checksum: sha256 (hex SHA-256 of its ORIGINAL bytes, the
                         default), md5 (their hex MD5) or none (no checksum field)
  --asset-endpoint missing  no assets/download_asset_by_uri: it answers 404 as an unknown route
  --outage <s>           answer 503 to every API request for the first s seconds
  --outage-status <n>    with --outage: answer that status instead (0 drops the connection)
  --outage-endpoints <list>  with --outage: only these endpoints, comma-separated
                         (e.g. rtc/getCallLogById)
  --outage-html          with --outage: a proxy's HTML error page instead of Spring's JSON
  --help                 this text

Control API (JSON): GET /_sim/stats, POST /_sim/tokens/revoke, GET /_sim/calls,
GET /_sim/history, POST /_sim/calls/<callId>/join|leave|end|events,
POST /_sim/calls/<callId>/assets {"userId","name","type","bytes","readyAfterMs","checksum"}
  (shares an asset in the call: type IMAGE by default, or VIDEO, DOCUMENT…; bytes the length
  of its ORIGINAL, 2 MiB by default; readyAfterMs: UPLOADING until then, its download only
  half of its bytes; checksum "wrong": one that does not match),
DELETE /_sim/assets?uri=<uri> (the asset is gone: its download answers 404),
POST /_sim/faults {"endpoint","type","status","retryAfter","html","ms","count"} or a list of
  them, DELETE /_sim/faults; type: latency, latency-after (handled at once, answered ms later),
  status, status-after (handled, then status answered instead, default 502), drop, drop-after,
  garbage, body; html: true for a proxy's HTML error page instead of Spring's JSON,
GET|POST /_sim/variants {"dates","expiredStatus","refreshFault","listOrder","pageSizeCap",
  "userOrder","userStatus","notFound","assetSizes","assetChecksum","assetEndpoint"},
GET|POST /_sim/outage {"ms","status","endpoints","html"}`;

function readArgs() {
  return parseArgs({
    options: {
      port: { type: 'string', default: '8090' },
      host: { type: 'string', default: '127.0.0.1' },
      tenant: { type: 'string', default: 'acme' },
      domain: { type: 'string', default: 'ubimax' },
      'token-lifetime': { type: 'string', default: '900' },
      'opaque-tokens': { type: 'boolean', default: false },
      'no-refresh': { type: 'boolean', default: false },
      autoplay: { type: 'boolean', default: false },
      'join-after': { type: 'string', default: '5' },
      'share-after': { type: 'string', default: '2' },
      'end-after': { type: 'string', default: '60' },
      history: { type: 'string', default: '0' },
      'history-assets': { type: 'boolean', default: false },
      users: { type: 'string', default: '0' },
      'tls-key': { type: 'string' },
      'tls-cert': { type: 'string' },
      dates: { type: 'string' },
      'expired-status': { type: 'string' },
      'refresh-fault': { type: 'string' },
      'list-order': { type: 'string' },
      'page-size-cap': { type: 'string' },
      'user-order': { type: 'string' },
      'user-status': { type: 'boolean', default: false },
      'not-found': { type: 'string' },
      'asset-sizes': { type: 'string' },
      'asset-checksum': { type: 'string' },
      'asset-endpoint': { type: 'string' },
      outage: { type: 'string' },
      'outage-status': { type: 'string' },
      'outage-endpoints': { type: 'string' },
      'outage-html': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  }).values;
}

type Args = ReturnType<typeof readArgs>;

async function main(): Promise<void> {
  const args = readArgs();
  if (args.help) return console.log(USAGE);
  const historyCalls = wholeNumber(args.history, '--history must be a number of calls');
  if (args['history-assets'] && historyCalls === 0)
    throw new Error('--history-assets needs --history');
  const extraUsers = wholeNumber(args.users, '--users must be a number of users');
  const outageOptions = outageOptionsOf(args);
  const simulator = new Simulator(simulatorOptions(args, historyCalls, extraUsers));
  if (args.outage !== undefined) {
    simulator.outage(seconds('outage', args.outage), outageOptions);
  }
  const url = await simulator.listen();
  printWelcome(url, simulator, extraUsers);
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function simulatorOptions(args: Args, historyCalls: number, extraUsers: number): SimulatorOptions {
  const tls =
    args['tls-key'] && args['tls-cert']
      ? { key: readFileSync(args['tls-key']), cert: readFileSync(args['tls-cert']) }
      : undefined;
  return {
    host: args.host,
    port: Number(args.port),
    tenant: args.tenant,
    domain: args.domain,
    tokenLifetimeMs: seconds('token-lifetime', args['token-lifetime']),
    jwt: !args['opaque-tokens'],
    refreshPath: args['no-refresh'] ? null : 'refresh',
    autoplay: args.autoplay
      ? {
          joinAfterMs: seconds('join-after', args['join-after']),
          endAfterMs: seconds('end-after', args['end-after']),
          shareAfterMs: seconds('share-after', args['share-after']),
        }
      : undefined,
    tls,
    history: historyCalls > 0 ? { calls: historyCalls, assets: args['history-assets'] } : undefined,
    extraUsers,
    variants: variantsOf(args),
  };
}

function variantsOf(args: Args): Partial<Variants> {
  return {
    dates: args.dates,
    expiredStatus:
      args['expired-status'] === undefined ? undefined : Number(args['expired-status']),
    refreshFault: args['refresh-fault'],
    listOrder: args['list-order'],
    pageSizeCap: args['page-size-cap'] === undefined ? undefined : Number(args['page-size-cap']),
    userOrder: args['user-order'],
    userStatus: args['user-status'] || undefined,
    notFound: args['not-found'],
    assetSizes: assetSizesOf(args['asset-sizes']),
    assetChecksum: args['asset-checksum'],
    assetEndpoint: args['asset-endpoint'],
    // checked, with a message that lists the choices, by the Simulator
  } as Partial<Variants>;
}

/** `--asset-sizes SMALL,LARGE` as a list; `none` for none. */
function assetSizesOf(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text.trim() === 'none' ? [] : text.split(',').map((size) => size.trim().toUpperCase());
}

/** The --outage-* options; throws when one is given without --outage. */
function outageOptionsOf(args: Args): OutageOptions {
  const options = {
    status: args['outage-status'] === undefined ? undefined : Number(args['outage-status']),
    endpoints: args['outage-endpoints']?.split(',').map((endpoint) => endpoint.trim()),
    html: args['outage-html'],
  };
  const details = options.status !== undefined || options.endpoints !== undefined || options.html;
  if (details && args.outage === undefined) {
    throw new Error('--outage-status, --outage-endpoints and --outage-html need --outage');
  }
  return options;
}

function printWelcome(url: string, simulator: Simulator, extraUsers: number): void {
  console.log(`xAssist simulator: ${url}`);
  console.log(
    `  log in with domain '${simulator.domain}', username 'connector', password 'connector-password'`,
  );
  const seeded = simulator.users.slice(0, simulator.users.length - extraUsers);
  console.log(`  users: ${seeded.map((user) => user.userId).join(', ')} (expert3 never answers)`);
  if (extraUsers > 0) {
    console.log(
      `  and ${extraUsers} technicians tech1…tech${extraUsers} (password tech<i>-password)`,
    );
  }
  console.log('  Ctrl+C to stop');
}

/** `text` seconds in milliseconds; throws, naming the option, unless it is 0 or more. */
function seconds(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`--${name} must be a number of seconds`);
  return value * 1000;
}

/** `text` as a whole number, 0 or more; throws `message` otherwise. */
function wholeNumber(text: string, message: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(message);
  return value;
}

main().catch((err: unknown) => {
  console.error(`xassist-sim: ${(err as Error).message}`);
  process.exit(1);
});

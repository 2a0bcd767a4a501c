#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Simulator } from './server';
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
  --autoplay             invitees join 5 s after a call is created; the call ends after 60 s
  --join-after <s>       with --autoplay: seconds until invitees join (default 5)
  --end-after <s>        with --autoplay: seconds until the call ends (default 60)
  --history <calls>      start with that many ended calls over the last 24 h: 70 % joined
                         within 4 min, 10 % joined and lasting up to 45 min, 20 % joined by
                         nobody; the same ones at every start, moved to end now
                         (GET /_sim/history tells what each was)
  --tls-key <file> --tls-cert <file>   serve HTTPS

Variants a real server may show:
  --dates epoch          dates as epoch milliseconds instead of ISO texts
  --expired-status 403   answer 403 instead of 401 to a missing, expired or revoked token
  --refresh-fault <kind> the refresh endpoint fails: none (404), 500, html (200 with a login
                         page), redirect (302 to the login page) or no-token (200 without token)
  --list-order <order>   getFilteredCallLogsV2 order: desc (newest first, the default), asc
                         (oldest first unless sort=id,desc) or shuffle (random, sort ignored)
  --outage <s>           answer 503 to every API request for the first s seconds
  --help                 this text

Control API (JSON): GET /_sim/stats, POST /_sim/faults, DELETE /_sim/faults,
POST /_sim/tokens/revoke, GET /_sim/calls, GET /_sim/history,
POST /_sim/calls/<callId>/join|leave|end|events,
GET|POST /_sim/variants {"dates","expiredStatus","refreshFault","listOrder"},
GET|POST /_sim/outage {"ms","status","endpoints"}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
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
      'end-after': { type: 'string', default: '60' },
      history: { type: 'string', default: '0' },
      'tls-key': { type: 'string' },
      'tls-cert': { type: 'string' },
      dates: { type: 'string' },
      'expired-status': { type: 'string' },
      'refresh-fault': { type: 'string' },
      'list-order': { type: 'string' },
      outage: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const seconds = (name: string, text: string) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`--${name} must be a number of seconds`);
    return value * 1000;
  };
  const historyCalls = Number(values.history);
  if (!Number.isInteger(historyCalls) || historyCalls < 0) {
    throw new Error('--history must be a number of calls');
  }
  const tls =
    values['tls-key'] && values['tls-cert']
      ? { key: readFileSync(values['tls-key']), cert: readFileSync(values['tls-cert']) }
      : undefined;
  const simulator = new Simulator({
    host: values.host,
    port: Number(values.port),
    tenant: values.tenant,
    domain: values.domain,
    tokenLifetimeMs: seconds('token-lifetime', values['token-lifetime']),
    jwt: !values['opaque-tokens'],
    refreshPath: values['no-refresh'] ? null : 'refresh',
    autoplay: values.autoplay
      ? {
          joinAfterMs: seconds('join-after', values['join-after']),
          endAfterMs: seconds('end-after', values['end-after']),
        }
      : undefined,
    tls,
    history: historyCalls > 0 ? { calls: historyCalls } : undefined,
    variants: {
      dates: values.dates,
      expiredStatus:
        values['expired-status'] === undefined ? undefined : Number(values['expired-status']),
      refreshFault: values['refresh-fault'],
      listOrder: values['list-order'],
      // checked, with a message that lists the choices, by the Simulator
    } as Partial<Variants>,
  });
  if (values.outage !== undefined) simulator.outage(seconds('outage', values.outage));
  const url = await simulator.listen();
  console.log(`xAssist simulator: ${url}`);
  console.log(
    `  log in with domain '${simulator.domain}', username 'connector', password 'connector-password'`,
  );
  console.log(
    `  users: ${simulator.users.map((user) => user.userId).join(', ')} (expert3 never answers)`,
  );
  console.log('  Ctrl+C to stop');
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`xassist-sim: ${(err as Error).message}`);
  process.exit(1);
});

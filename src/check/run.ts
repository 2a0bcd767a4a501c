import { createTransport } from '../xassist/http';
import { proxyFor } from '../xassist/proxy';
import { validateSettings, type ServerSettings } from '../xassist/settings';
import { checkAssets } from './assets';
import { checkCalls } from './calls';
import {
  checkDeadToken,
  checkLogin,
  checkReach,
  checkRefresh,
  checkUnknownCall,
  type Session,
} from './connection';
import { expected, unknown, type Finding } from './finding';
import { checkLive } from './live';
import { Probe, type Exchange } from './probe';
import { checkTestCall } from './test-call';
import { checkUsers } from './users';

export interface CheckOptions {
  /** the whole check's time, at most */
  timeLimitMs?: number;
  /** make one call, to the technical user alone, and follow it for a few seconds */
  createTestCall?: boolean;
}

export interface CheckReport {
  server: { url: string; domain: string; username: string };
  startedAt: string;
  ms: number;
  findings: Finding[];
  /** every request made, in order: method, path, status, time */
  requests: Exchange[];
}

export const DEFAULT_TIME_LIMIT_MS = 30_000;

/** What `runCheck` does to the server, said before it starts. */
export const WHAT_IT_DOES = [
  'It only reads: no call is made (unless --create-test-call).',
  'It logs in once as this user: the server may then refuse a refresh token that user holds',
  'elsewhere (the login answer says refreshTokenExistsAlready); the package logs in again.',
  'It sends one made-up token, asks for one made-up call id, and tries a few guessed paths',
  'where Spring servers take WebSocket connections (GETs only). Of one asset, if the newest',
  'calls carry one, it reads at most 4 KiB in each of four sizes.',
];

/**
 * Checks what the public sources leave open about a server, read-only, in at most the time
 * limit: each finding as expected, differs (and what handles it) or could not tell.
 */
export async function runCheck(
  given: ServerSettings,
  options: CheckOptions = {},
): Promise<CheckReport> {
  const settings = validateSettings(given);
  const started = Date.now();
  const transport = createTransport(settings);
  const probe = new Probe(
    transport.axios,
    started + (options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS),
    settings.timeoutMs,
  );
  const findings: Finding[] = [];
  try {
    const proxy = proxyFor(settings.url, settings.proxy);
    findings.push(await checkReach(probe, proxy?.host));
    const session: Session = {};
    findings.push(...(await checkLogin(probe, settings, session)));
    findings.push(await checkDeadToken(probe));
    if (session.token) {
      findings.push(await checkRefresh(probe, settings.refreshPath, session));
      findings.push(...(await checkUsers(probe, session)));
      findings.push(...(await checkCalls(probe, session)));
      findings.push(...(await checkAssets(probe, session)));
      findings.push(await checkUnknownCall(probe, session));
      findings.push(await checkLive(probe, session));
      if (options.createTestCall) {
        findings.push(await checkTestCall(probe, session, settings.username));
      }
    } else {
      findings.push(unknown('after-login', 'the rest', 'needs a login'));
    }
    findings.push(latency(probe.exchanges));
  } finally {
    await transport.destroy();
  }
  return {
    server: { url: settings.url, domain: settings.domain, username: settings.username },
    startedAt: new Date(started).toISOString(),
    ms: Date.now() - started,
    findings,
    requests: probe.exchanges,
  };
}

function latency(exchanges: Exchange[]): Finding {
  const times = exchanges
    .filter((exchange) => exchange.status !== undefined)
    .map((exchange) => exchange.ms)
    .sort((a, b) => a - b);
  if (!times.length) return unknown('latency', 'latency', 'no answer at all');
  const at = (share: number) => times[Math.min(times.length - 1, Math.floor(times.length * share))];
  return expected(
    'latency',
    'latency',
    `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms over ${times.length}`,
  );
}

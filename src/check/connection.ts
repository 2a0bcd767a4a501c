import { randomUUID } from 'node:crypto';
import type { Answer, Probe } from './probe';
import { differs, expected, objectOf, unknown, type Finding } from './finding';
import { jwtClaims } from '../xassist/token';
import { dateFormOf } from './dates';

/** What the checks after the login need of it. */
export interface Session {
  token?: string;
  refreshToken?: string;
}

/** Why a request got no answer, in words: a certificate problem names which. */
function noAnswer(probe: Probe): string {
  const code = probe.lastError ?? 'no answer';
  if (/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)) {
    return `${code}: the certificate is from a private CA; give that CA in a TLS config node`;
  }
  if (/ALTNAME|HOSTNAME/.test(code)) {
    return `${code}: the certificate is for another name than the URL's host`;
  }
  return code;
}

export async function checkReach(probe: Probe, proxy: string | undefined): Promise<Finding> {
  const title = 'reachable';
  const answer = await probe.send('');
  const via = proxy ? ` through the proxy ${proxy}` : '';
  if (!answer) return unknown('reach', title, `no answer${via}: ${noAnswer(probe)}`);
  return expected('reach', title, `answers HTTP ${answer.status} in ${answer.ms} ms${via}`);
}

/** The login, and what its answer holds; the session for the checks after it. */
export async function checkLogin(
  probe: Probe,
  credentials: { username: string; password: string; domain: string },
  session: Session,
): Promise<Finding[]> {
  const title = 'login';
  const sentAt = Date.now();
  const answer = await probe.send('login', {
    method: 'POST',
    data: { ...credentials, agreedToTos: true },
  });
  if (!answer) return [unknown('login', title, `no answer: ${noAnswer(probe)}`)];
  const body = objectOf(answer.json);
  if (answer.status !== 200 || typeof body?.token !== 'string') {
    return [unknown('login', title, `HTTP ${answer.status}: check the credentials and domain`)];
  }
  session.token = body.token;
  session.refreshToken = typeof body.refreshToken === 'string' ? body.refreshToken : undefined;
  const fields = Object.keys(body).sort().join(', ');
  const twoFactor = Object.keys(body).some((name) => /two.?factor|otp|mfa/i.test(name));
  const login = twoFactor
    ? differs('login', title, `fields: ${fields}`, 'two-factor login: the package cannot log in')
    : expected('login', title, `fields: ${fields}`);
  return [
    login,
    tokenFinding(body.token),
    refreshValidity(body.refreshTokenValidUntil),
    clockFinding(answer, sentAt),
  ];
}

function tokenFinding(token: string): Finding {
  const title = 'access token';
  const claims = jwtClaims(token);
  if (!claims) {
    return differs(
      'token',
      title,
      'opaque (not a JWT): its lifetime is not known ahead',
      'the package renews it when the server refuses it: nothing to set',
      ['--opaque-tokens'],
    );
  }
  const lifetime =
    typeof claims.exp === 'number' && typeof claims.iat === 'number'
      ? Math.floor(claims.exp - claims.iat)
      : undefined;
  const found = `JWT${lifetime === undefined ? ' without exp/iat' : `, valid ${lifetime} s`}`;
  const finding = expected('token', title, found);
  if (lifetime !== undefined) finding.simArgs = ['--token-lifetime', String(lifetime)];
  return finding;
}

function refreshValidity(value: unknown): Finding {
  const title = 'refreshTokenValidUntil';
  const form = dateFormOf(value);
  if (!form) return expected('refresh-valid-until', title, 'not given');
  return form === 'iso-utc' || form === 'epoch'
    ? expected('refresh-valid-until', title, form)
    : differs('refresh-valid-until', title, form, 'the package reads ISO texts and epoch numbers');
}

/** The server's clock, from the Date header of its answer, against this machine's. */
function clockFinding(answer: Answer, sentAt: number): Finding {
  const title = 'server clock';
  const date = Date.parse(answer.headers.date ?? '');
  if (Number.isNaN(date)) return unknown('clock', title, 'no Date header');
  // the header has whole seconds: a skew under 2 s cannot be told apart from rounding
  const skewS = Math.round((date - (sentAt + answer.ms / 2)) / 1000);
  const found = `${skewS >= 0 ? '+' : ''}${skewS} s from this machine's`;
  return Math.abs(skewS) <= 5
    ? expected('clock', title, found)
    : differs('clock', title, found, "set this machine's clock (NTP): times to join use both");
}

/** A well-formed JWT that no server issued: what a dead token is answered with. */
export async function checkDeadToken(probe: Probe): Promise<Finding> {
  const title = 'dead token';
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const token = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: 'xassist-check', iat: now, exp: now + 600 })}.${encode({ not: 'signed' })}`;
  const answer = await probe.send('users/list', { params: { page: 0, size: 1 }, token });
  if (!answer) return unknown('dead-token', title, `no answer: ${probe.lastError}`);
  if (answer.status === 401) return expected('dead-token', title, 'HTTP 401');
  if (answer.status === 403) {
    return differs(
      'dead-token',
      title,
      'HTTP 403',
      'the package renews its token on a 403 too: nothing to set',
      ['--expired-status', '403'],
    );
  }
  return unknown('dead-token', title, `HTTP ${answer.status}`);
}

/** The refresh endpoint, once, with the login's refresh token. */
export async function checkRefresh(
  probe: Probe,
  refreshPath: string,
  session: Session,
): Promise<Finding> {
  const title = `refresh (${refreshPath || 'none'})`;
  if (!refreshPath) return expected('refresh', title, 'not used: every renewal logs in');
  if (!session.refreshToken) return unknown('refresh', title, 'the login gave no refresh token');
  const answer = await probe.send(refreshPath, {
    method: 'POST',
    data: { refreshToken: session.refreshToken },
  });
  if (!answer) return unknown('refresh', title, `no answer: ${probe.lastError}`);
  const body = objectOf(answer.json);
  if (answer.status === 200 && typeof body?.token === 'string') {
    session.token = body.token;
    const rotated = body.refreshToken && body.refreshToken !== session.refreshToken;
    return expected('refresh', title, `a new token${rotated ? ', and a new refresh token' : ''}`);
  }
  const fault = refreshFaultOf(answer);
  const advice =
    'the package logs in again when a refresh fails; Refresh path "none" skips the attempt';
  const finding = differs('refresh', title, fault.found, advice, ['--refresh-fault', fault.kind]);
  finding.setting = { name: 'refreshPath', value: 'none' };
  return finding;
}

function refreshFaultOf(answer: Answer): { kind: string; found: string } {
  if (answer.status === 404 || answer.status === 405) {
    return { kind: 'none', found: `HTTP ${answer.status}: no refresh endpoint there` };
  }
  if (answer.status >= 300 && answer.status < 400) {
    return { kind: 'redirect', found: `HTTP ${answer.status} redirect` };
  }
  if (answer.status >= 500) return { kind: '500', found: `HTTP ${answer.status}` };
  if (answer.json === undefined) return { kind: 'html', found: `HTTP ${answer.status}, not JSON` };
  return { kind: 'no-token', found: `HTTP ${answer.status} without a token` };
}

/** A call id nobody made: what getCallLogById answers. */
export async function checkUnknownCall(probe: Probe, session: Session): Promise<Finding> {
  const title = 'unknown call id';
  const answer = await probe.send('rtc/getCallLogById', {
    params: { callId: randomUUID() },
    token: session.token,
  });
  if (!answer) return unknown('unknown-call', title, `no answer: ${probe.lastError}`);
  if (answer.status === 404 && answer.json !== undefined) {
    return expected('unknown-call', title, 'HTTP 404, JSON');
  }
  if (answer.status === 404) {
    return differs(
      'unknown-call',
      title,
      'HTTP 404, not JSON',
      'the package believes only a JSON 404: such a call is read again, never ended',
      ['--not-found', 'html'],
    );
  }
  return differs(
    'unknown-call',
    title,
    `HTTP ${answer.status}`,
    'the package ends a call only on a JSON 404: this one is read again until stopped',
    answer.status === 400 ? ['--not-found', '400'] : undefined,
  );
}

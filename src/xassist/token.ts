import { serverDate } from './dates';
import type { LoginResponse } from './types';

export interface Tokens {
  access: string;
  /** epoch ms when the access token expires, when known (a JWT's exp) */
  accessExpiresAt?: number;
  /** epoch ms when it was received, to size the refresh margin */
  receivedAt: number;
  refresh?: string;
  refreshExpiresAt?: number;
}

const MAX_REFRESH_MARGIN_MS = 60_000;

export function tokensFromResponse(body: LoginResponse, now: number): Tokens | undefined {
  if (!body || typeof body.token !== 'string' || body.token === '') return undefined;
  return {
    access: body.token,
    accessExpiresAt: jwtExpiry(body.token),
    receivedAt: now,
    refresh:
      typeof body.refreshToken === 'string' && body.refreshToken ? body.refreshToken : undefined,
    refreshExpiresAt: serverDate(body.refreshTokenValidUntil),
  };
}

/** The claims of a JWT, or undefined for an opaque token. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The `exp` claim of a JWT in epoch ms, or undefined for an opaque token. */
export function jwtExpiry(token: string): number | undefined {
  const exp = jwtClaims(token)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
}

/** When to renew ahead of expiry: a tenth of the lifetime, at most a minute. */
export function refreshDueAt(tokens: Tokens): number | undefined {
  if (tokens.accessExpiresAt === undefined) return undefined;
  const lifetime = Math.max(0, tokens.accessExpiresAt - tokens.receivedAt);
  return tokens.accessExpiresAt - Math.min(MAX_REFRESH_MARGIN_MS, lifetime / 10);
}

export function canRefresh(tokens: Tokens | undefined, now: number): tokens is Tokens {
  return (
    !!tokens?.refresh && (tokens.refreshExpiresAt === undefined || now < tokens.refreshExpiresAt)
  );
}

import { createHmac, randomBytes } from 'node:crypto';

export interface TokenOptions {
  accessLifetimeMs: number;
  refreshLifetimeMs: number;
  /** issue JWTs (with exp) or opaque tokens */
  jwt: boolean;
}

interface Grant {
  userId: string;
  expiresAt: number;
}

/** Access and refresh tokens as the simulated server issues, checks, rotates and revokes them. */
export class TokenStore {
  private readonly access = new Map<string, Grant>();
  private readonly refresh = new Map<string, Grant>();
  private readonly key = randomBytes(32);
  /** every token ever issued, so that tests can search for leaks */
  readonly issued: string[] = [];

  constructor(public options: TokenOptions) {}

  issue(userId: string, now = Date.now()) {
    const expiresAt = now + this.options.accessLifetimeMs;
    const token = this.options.jwt ? this.jwt(userId, now, expiresAt) : random();
    const refreshToken = random();
    const refreshTokenValidUntil = now + this.options.refreshLifetimeMs;
    this.issued.push(token, refreshToken);
    this.access.set(token, { userId, expiresAt });
    this.refresh.set(refreshToken, { userId, expiresAt: refreshTokenValidUntil });
    return { token, refreshToken, refreshTokenValidUntil };
  }

  /** The user a valid access token belongs to. */
  userOf(token: string, now = Date.now()): string | undefined {
    const grant = this.access.get(token);
    return grant && now < grant.expiresAt ? grant.userId : undefined;
  }

  /** Spends a refresh token (each works once) and returns its user. */
  spendRefresh(refreshToken: string, now = Date.now()): string | undefined {
    const grant = this.refresh.get(refreshToken);
    this.refresh.delete(refreshToken);
    return grant && now < grant.expiresAt ? grant.userId : undefined;
  }

  /** The user a valid refresh token belongs to, without spending it. */
  ownerOfRefresh(refreshToken: string, now = Date.now()): string | undefined {
    const grant = this.refresh.get(refreshToken);
    return grant && now < grant.expiresAt ? grant.userId : undefined;
  }

  revokeAccess(): void {
    this.access.clear();
  }

  revokeRefresh(): void {
    this.refresh.clear();
  }

  private jwt(userId: string, now: number, expiresAt: number): string {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const head = encode({ alg: 'HS256', typ: 'JWT' });
    const body = encode({
      sub: userId,
      iat: Math.floor(now / 1000),
      // fractions keep sub-second lifetimes usable in tests
      exp: expiresAt / 1000,
      jti: random(8),
    });
    const signature = createHmac('sha256', this.key).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${signature}`;
  }
}

function random(bytes = 24): string {
  return randomBytes(bytes).toString('hex');
}

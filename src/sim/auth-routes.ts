import { springError, type Reply } from './replies';
import type { TokenStore } from './tokens';
import { publicUser, type SimUser } from './users';
import type { RefreshFault, Variants } from './variants';

/** What login and refresh read of the simulator, at every request (tests switch variants). */
export interface AuthServer {
  readonly domain: string;
  readonly tenantUrl: string;
  readonly variants: Variants;
  readonly users: SimUser[];
  readonly tokens: TokenStore;
}

const HTML = { 'Content-Type': 'text/html;charset=UTF-8' };
/** What a gateway or single-sign-on proxy shows instead of an API answer. */
const LOGIN_PAGE =
  '<!DOCTYPE html><html><head><title>Sign in</title></head><body>' +
  '<form method="post" action="login"><input name="username"><input name="password" ' +
  'type="password"><button>Sign in</button></form></body></html>';

/** The tenant API's sessions: login, refresh, and who holds a token. */
export class AuthRoutes {
  constructor(private readonly server: AuthServer) {}

  login(body: unknown, path: string): Reply {
    const fields = (body ?? {}) as Record<string, unknown>;
    for (const field of ['username', 'password', 'domain']) {
      if (typeof fields[field] !== 'string') {
        return springError(400, `${field}: must not be null`, path);
      }
    }
    const user = this.userWithId(fields.username as string);
    if (!user || user.password !== fields.password || fields.domain !== this.server.domain) {
      return springError(401, 'Bad credentials', path);
    }
    return this.session(user);
  }

  refresh(body: unknown, path: string): Reply {
    const refreshToken = refreshTokenIn(body);
    const fault = this.server.variants.refreshFault;
    if (fault) return this.brokenRefresh(fault, refreshToken, path);
    const userId = refreshToken ? this.server.tokens.spendRefresh(refreshToken) : undefined;
    const user = this.userWithId(userId);
    if (!user) return springError(401, 'Refresh token is invalid or expired', path);
    return this.session(user);
  }

  /** The user a valid access token belongs to. */
  userOf(accessToken: string | undefined): SimUser | undefined {
    return this.userWithId(accessToken ? this.server.tokens.userOf(accessToken) : undefined);
  }

  /** A missing, expired or revoked token: 401, or 403 as some Spring Security setups answer. */
  unauthenticated(path: string): Reply {
    return this.server.variants.expiredStatus === 403
      ? springError(403, 'Access Denied', path)
      : springError(401, 'Full authentication is required to access this resource', path);
  }

  /** What a missing or broken refresh endpoint answers; the refresh token stays unspent. */
  private brokenRefresh(
    fault: RefreshFault,
    refreshToken: string | undefined,
    path: string,
  ): Reply {
    switch (fault) {
      case 'none':
        return springError(404, 'No message available', path);
      case '500':
        return springError(500, 'Internal Server Error', path);
      case 'html':
        return { status: 200, body: undefined, text: LOGIN_PAGE, headers: HTML };
      case 'redirect': {
        const location = `${this.server.tenantUrl}login-page`;
        return { status: 302, body: undefined, text: '', headers: { Location: location } };
      }
      case 'no-token': {
        const tokens = this.server.tokens;
        const userId = refreshToken ? tokens.ownerOfRefresh(refreshToken) : undefined;
        const user = this.userWithId(userId);
        return { status: 200, body: user ? profile(user) : {} };
      }
    }
  }

  private session(user: SimUser): Reply {
    return { status: 200, body: { ...this.server.tokens.issue(user.userId), ...profile(user) } };
  }

  private userWithId(userId: string | undefined): SimUser | undefined {
    return this.server.users.find((user) => user.userId === userId);
  }
}

/** What login answers besides the tokens. */
function profile(user: SimUser) {
  return {
    userId: user.id,
    displayName: user.realName,
    domainTag: user.domainTag,
    permissions: ['XASSIST_CALL'],
    locale: 'en',
    user: publicUser(user),
  };
}

function refreshTokenIn(body: unknown): string | undefined {
  const refreshToken = (body as { refreshToken?: unknown } | undefined)?.refreshToken;
  return typeof refreshToken === 'string' ? refreshToken : undefined;
}

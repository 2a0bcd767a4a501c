import { ASSET_SIZES } from '../xassist/types';
import { assetDownload } from './assets';
import { AuthRoutes, type AuthServer } from './auth-routes';
import type { CallStore } from './calls';
import type { Exchange } from './exchange';
import { callPage, cappedQuery, pageOf, pageQuery } from './pages';
import { springError, springErrorPage, type Reply } from './replies';
import { inUserOrder, matchingUsers } from './user-search';
import { listedUser, type SimUser } from './users';
import { BadRequest, parseCreateCall } from './validation';
import { presentCall } from './variants';

/** What the tenant API reads of the simulator, at every request (tests switch some mid-test). */
export interface TenantServer extends AuthServer {
  readonly tenant: string;
  readonly refreshPath: string | null;
  readonly calls: CallStore;
}

/** Told what the tenant API receives, for the simulator's record and events. */
export interface TenantListener {
  bodyReceived(endpoint: string, body: unknown): void;
  callRead(callId: string): void;
}

interface ApiRequest {
  method: string;
  url: URL;
  body: unknown;
  user?: SimUser;
}

export type Route = (request: ApiRequest) => Reply | Promise<Reply>;

/** The xAssist REST API under /<tenant>/, as the contract has it. */
export class TenantApi {
  private readonly auth: AuthRoutes;

  constructor(
    private readonly server: TenantServer,
    private readonly listener: TenantListener,
  ) {
    this.auth = new AuthRoutes(server);
  }

  /** The endpoint a request counts under, and its route: none, as `other`, when the API lacks it. */
  resolve(method: string, path: string): { endpoint: string; route?: Route } {
    const prefix = `/${this.server.tenant}/`;
    const endpoint = path.startsWith(prefix) ? path.slice(prefix.length) : '';
    const route = this.routeOf(method, endpoint);
    return route ? { endpoint, route } : { endpoint: 'other' };
  }

  /** Reads the body, checks the token unless `route` is login or refresh, and answers. */
  async answer(exchange: Exchange, route: Route | undefined): Promise<Reply> {
    const url = exchange.url;
    if (!route) return springError(404, 'No message available', url.pathname);
    let body: unknown;
    try {
      body = await exchange.readJson();
    } catch (err) {
      return springError(400, `JSON parse error: ${(err as Error).message}`, url.pathname);
    }
    const endpoint = url.pathname.slice(this.server.tenant.length + 2);
    if (body !== undefined) this.listener.bodyReceived(endpoint, body);
    const open = route === this.login || route === this.refresh;
    const user = open ? undefined : this.auth.userOf(exchange.bearerToken());
    if (!open && !user) return this.auth.unauthenticated(url.pathname);
    try {
      return await route({ method: exchange.method, url, body, user });
    } catch (err) {
      if (err instanceof BadRequest) return springError(400, err.message, url.pathname);
      throw err;
    }
  }

  private routeOf(method: string, endpoint: string): Route | undefined {
    const refreshPath = this.server.refreshPath;
    if (method === 'POST' && endpoint === 'login') return this.login;
    if (method === 'POST' && refreshPath !== null && endpoint === refreshPath) return this.refresh;
    if (method === 'POST' && endpoint === 'rtc/createCall') return this.createCall;
    if (method === 'GET' && endpoint === 'rtc/getCallLogById') return this.getCallLogById;
    if (method === 'GET' && endpoint === 'users/list') return this.listUsers;
    if (method === 'GET' && endpoint === 'rtc/getFilteredCallLogsV2') return this.filteredCallLogs;
    if (
      method === 'GET' &&
      endpoint === 'assets/download_asset_by_uri' &&
      this.server.variants.assetEndpoint !== 'missing'
    ) {
      return this.downloadAsset;
    }
    return undefined;
  }

  private readonly login: Route = ({ body, url }) => this.auth.login(body, url.pathname);

  private readonly refresh: Route = ({ body, url }) => this.auth.refresh(body, url.pathname);

  private readonly createCall: Route = ({ body, user }) => {
    const call = parseCreateCall(body, user as SimUser, this.server.users);
    return { status: 200, body: presentCall(this.server.calls.create(call), this.server.variants) };
  };

  private readonly getCallLogById: Route = ({ url }) => {
    const callId = url.searchParams.get('callId');
    if (!callId) {
      return springError(
        400,
        "Required request parameter 'callId' for method parameter type String is not present",
        url.pathname,
      );
    }
    this.listener.callRead(callId);
    const log = this.server.calls.get(callId);
    return log
      ? { status: 200, body: presentCall(log, this.server.variants) }
      : this.unknownCall(callId, url.pathname);
  };

  /** getCallLogById's answer for a call id nobody made, in the form the variant plays. */
  private unknownCall(callId: string, path: string): Reply {
    const message = `CallLog ${callId} not found`;
    switch (this.server.variants.notFound ?? 'json') {
      case 'json':
        return springError(404, message, path);
      case 'html':
        return springErrorPage(404, message);
      case '400':
        return springError(400, `Invalid callId: ${message}`, path);
    }
  }

  private readonly listUsers: Route = ({ url }) => {
    const matches = matchingUsers(this.server.users, url.searchParams);
    const page = pageOf(inUserOrder(matches, this.server.variants.userOrder), this.pageQuery(url));
    const content = page.content.map((user) => listedUser(user, this.server.variants));
    return { status: 200, body: { ...page, content } };
  };

  private readonly filteredCallLogs: Route = ({ url }) => {
    const query = this.pageQuery(url);
    const page = callPage(this.server.calls.all(), query, this.server.variants.listOrder);
    const content = page.content.map((call) => presentCall(call, this.server.variants));
    return { status: 200, body: { ...page, content } };
  };

  private readonly downloadAsset: Route = ({ url }) =>
    assetDownload(
      url.searchParams,
      url.pathname,
      this.server.variants.assetSizes ?? ASSET_SIZES,
      (uri) => this.server.calls.storedAsset(uri),
    );

  /** The paging parameters of a list request, capped as this server's variant caps them. */
  private pageQuery(url: URL) {
    return cappedQuery(pageQuery(url.searchParams), this.server.variants.pageSizeCap);
  }
}

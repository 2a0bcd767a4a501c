import { shareOptionsOf } from './assets';
import type { CallStore } from './calls';
import type { Exchange } from './exchange';
import { checkFault, type Fault, type FaultQueue } from './faults';
import type { HistoryCall } from './history';
import type { Outage, OutageOptions } from './outage';
import { springError, type Reply } from './replies';
import type { TokenStore } from './tokens';
import { contactOf, type SimUser } from './users';
import { presentCall, presentEvent, variantsAsJson, withVariants, type Variants } from './variants';

export const CONTROL_PREFIX = '/_sim/';

/** What the control API drives: the simulator's methods and state, the same as a test's. */
export interface ControlledServer {
  readonly counts: Record<string, number>;
  readonly users: SimUser[];
  readonly tokens: TokenStore;
  readonly calls: CallStore;
  readonly history: readonly HistoryCall[];
  readonly faults: FaultQueue;
  variants: Variants;
  resetCounts(): void;
  addFault(fault: Fault): void;
  outage(ms: number, options?: OutageOptions): void;
}

interface ControlRequest {
  body: unknown;
  query: URLSearchParams;
  /** the body as an object, `{}` when there is none */
  fields: Record<string, unknown>;
}

/** What an action answers; undefined answers `{ ok: true }`. */
type Action = (request: ControlRequest) => unknown;

const CALL_ACTION = /^calls\/([^/]+)\/(join|leave|end|events|assets)$/;
const USER_PRESENCE = /^users\/([^/]+)\/presence$/;

/** The control API under /_sim/: what the methods do, over HTTP, for the CLI and other processes. */
export class ControlApi {
  /** by `<method> <path after /_sim/>` */
  private readonly actions: ReadonlyMap<string, Action>;

  constructor(
    private readonly server: ControlledServer,
    private readonly outageWindow: Outage,
  ) {
    this.actions = new Map(Object.entries(this.actionTable()));
  }

  async answer(exchange: Exchange): Promise<Reply> {
    const body = await exchange.readJson().catch((err: Error) => err);
    if (body instanceof Error) return springError(400, body.message, exchange.path);
    const fields = (body ?? {}) as Record<string, unknown>;
    const path = exchange.path.slice(CONTROL_PREFIX.length);
    try {
      const action = this.actions.get(`${exchange.method} ${path}`);
      if (action) return ok(action({ body, fields, query: exchange.url.searchParams }));
      const presence = USER_PRESENCE.exec(path);
      if (exchange.method === 'POST' && presence) {
        return ok(this.setPresence(decodeURIComponent(presence[1]), fields));
      }
      const callAction = CALL_ACTION.exec(path);
      if (exchange.method === 'POST' && callAction) {
        const [, callId, name] = callAction;
        return ok(this.callAction(callId, name, fields));
      }
      return springError(404, 'No such control endpoint', exchange.path);
    } catch (err) {
      return springError(400, (err as Error).message, exchange.path);
    }
  }

  private actionTable(): Record<string, Action> {
    const { server, outageWindow } = this;
    return {
      'GET stats': () => ({ requests: server.counts }),
      'POST reset': () => server.resetCounts(),
      'POST faults': ({ body }) => {
        const faults = (Array.isArray(body) ? body : [body]) as Fault[];
        // all or none: a list with one wrong fault adds none of them
        faults.forEach(checkFault);
        faults.forEach((fault) => server.addFault(fault));
      },
      'DELETE faults': () => server.faults.clear(),
      'GET outage': () => outageWindow.state(),
      'POST outage': ({ fields }) => {
        const { ms, ...options } = fields;
        server.outage(ms as number, options as OutageOptions);
        return outageWindow.state();
      },
      'POST tokens/revoke': ({ fields }) => {
        server.tokens.revokeAccess();
        if (fields.refresh === true) server.tokens.revokeRefresh();
      },
      'GET calls': () =>
        server.calls
          .list(Number.MAX_SAFE_INTEGER)
          .map((call) => presentCall(call, server.variants)),
      'GET history': () => server.history,
      'DELETE assets': ({ query }) => server.calls.deleteAsset(requiredUri(query)),
      'GET variants': () => variantsAsJson(server.variants),
      'POST variants': ({ body }) => {
        server.variants = withVariants(server.variants, body ?? {});
        return variantsAsJson(server.variants);
      },
    };
  }

  /** `{status}`: the presence users/list gives the user; `null` for none, absent for the variant's. */
  private setPresence(userId: string, fields: Record<string, unknown>): unknown {
    const user = this.server.users.find((one) => one.userId === userId);
    if (!user) throw new Error(`userId: no user '${userId}'`);
    const { status } = fields;
    if (status !== undefined && status !== null && typeof status !== 'string') {
      throw new Error('status: a presence such as ONLINE or OFFLINE, null for none');
    }
    if (status === undefined) delete user.presence;
    else user.presence = status;
    return { userId, status: status ?? null };
  }

  /**
   * join, leave, end, events or assets of the call `callId`: the event or call as the variant
   * answers it.
   */
  private callAction(callId: string, action: string, fields: Record<string, unknown>): unknown {
    const { calls } = this.server;
    const userId = String(fields.userId ?? '');
    if (action === 'join') return presentEvent(calls.join(callId, userId), this.server.variants);
    if (action === 'leave') return presentEvent(calls.leave(callId, userId), this.server.variants);
    if (action === 'end') return presentCall(calls.end(callId), this.server.variants);
    if (action === 'assets') {
      const { userId: sharer, ...options } = fields;
      if (typeof sharer !== 'string' || !sharer) {
        throw new Error('userId: the login name of who shares the asset');
      }
      return presentEvent(
        calls.shareAsset(callId, sharer, shareOptionsOf(options)),
        this.server.variants,
      );
    }
    const contact = this.server.users.find((user) => user.userId === userId);
    const comment = typeof fields.comment === 'string' ? fields.comment : undefined;
    const type = String(fields.type ?? 'Custom');
    const event = calls.addEvent(callId, type, contact && contactOf(contact), comment);
    return presentEvent(event, this.server.variants);
  }
}

/** The `uri` of `DELETE /_sim/assets?uri=`. */
function requiredUri(query: URLSearchParams): string {
  const uri = query.get('uri');
  if (!uri) throw new Error('uri: the uri of the asset to delete, as ?uri=');
  return uri;
}

function ok(result: unknown): Reply {
  return { status: 200, body: result === undefined ? { ok: true } : result };
}

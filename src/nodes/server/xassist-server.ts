import type { Node, NodeAPI, NodeDef, NodeStatus } from 'node-red';
import { CallMaker } from '../../calls/call-maker';
import { CallLedger, CLAIMS, SharedClaims } from '../../calls/ledger';
import { SharedReads } from '../../calls/shared-reads';
import { contextState } from '../../node-red/context-state';
import { registerAdminEndpoints } from './admin';
import { sharedStateProblem, connectionProblem } from '../../node-red/status';
import type { ServerCredentials, XAssistServerNode } from '../../node-red/types';
import {
  DEFAULT_LEASE_MS,
  DEFAULT_PREFIX,
  type SharedStateSettings,
} from '../../state/redis-options';
import { SharedState } from '../../state/shared-state';
import {
  UserDirectory,
  XAssistClient,
  type XAssistError,
  type ProxySettings,
  type ServerSettings,
  type TlsOptions,
} from '../../xassist';

interface ServerConfig extends NodeDef {
  url: string;
  domain: string;
  refreshPath?: string;
  /** seconds */
  timeout?: string | number;
  tls?: string;
  proxy?: string;
  /** shared state for several Node-RED instances; empty: this instance alone */
  redisUrl?: string;
  redisPrefix?: string;
  /** seconds an instance owns an item without renewing its lease */
  redisLease?: string | number;
  redisTls?: string;
}

/** the calls taken lately by this server's nodes, in its context */
const CLAIMS_KEY = 'claimedCalls';

interface TlsConfigNode extends Node {
  addTLSOptions(options: TlsOptions): TlsOptions;
}

interface HttpProxyNode extends Node<{ username?: string; password?: string }> {
  url: string;
  noproxy?: string[];
}

export = function register(RED: NodeAPI): void {
  function XAssistServer(this: Node<ServerCredentials>, config: ServerConfig): void {
    RED.nodes.createNode(this, config);
    const node = this as XAssistServerNode;
    /** each node using this server, with what tells it of a connection problem */
    const users = new Map<Node, (problem: NodeStatus | undefined) => void>();
    const t = (key: string) => RED._(key);
    /** the xAssist connection's problem, then shared state's: the first is shown */
    let problem: NodeStatus | undefined;
    let sharedProblem: NodeStatus | undefined;
    const shown = () => problem ?? sharedProblem;

    const tellUsers = () => {
      for (const onProblem of users.values()) onProblem(shown());
    };

    try {
      node.client = new XAssistClient(settingsOf(RED, config, node.credentials), {
        log: { debug: (m) => node.debug(m), info: (m) => node.log(m), warn: (m) => node.warn(m) },
      });
      node.client.on('state', (change) => {
        // a problem is shown until it is over, not hidden by each attempt to get past it
        if (change.state !== 'connecting') {
          problem = connectionProblem(change, t);
          tellUsers();
        }
      });
      node.directory = new UserDirectory(node.client);
      node.reads = new SharedReads(node.client);
    } catch (err) {
      node.configError = err as XAssistError;
      node.error(node.configError.message);
      problem = { fill: 'red', shape: 'ring', text: t('xassist-server.status.invalid') };
    }

    const sharedSettings = sharedStateOf(RED, config, node.credentials);
    if (sharedSettings) {
      try {
        // SharedState loads ioredis as it is built: a single instance never loads it
        node.shared = new SharedState(sharedSettings, {
          info: (m) => node.log(m),
          warn: (m) => node.warn(m),
          error: (m) => node.error(m),
        });
        node.shared.on('status', (status: SharedState['status']) => {
          sharedProblem = sharedStateProblem(status, t);
          tellUsers();
        });
      } catch (err) {
        node.error(`shared state: ${(err as Error).message}`);
        sharedProblem = { fill: 'red', shape: 'ring', text: t('xassist-server.status.invalid') };
      }
    }

    if (node.client) {
      // the calls taken, kept in this node's context: a redeploy or (with a file store) a
      // restart does not take a call made before for the answer of a lost request
      const state = contextState(node);
      const ledger = new CallLedger(
        {
          load: () => state.load(CLAIMS_KEY, CLAIMS) ?? [],
          save: (claims) => state.save(CLAIMS_KEY, CLAIMS, claims),
        },
        node.shared &&
          new SharedClaims(node.shared, node.id, (err) =>
            node.debug(`shared state: ${(err as Error).message}`),
          ),
      );
      node.calls = new CallMaker(node.client, ledger);
    }

    node.register = (user, onProblem) => {
      users.set(user, onProblem);
      onProblem(shown());
      if (users.size === 1) node.client?.start();
    };

    node.deregister = (user: Node) => {
      users.delete(user);
      if (users.size === 0) node.client?.stop();
    };

    node.on('close', (_removed: boolean, done: () => void) => {
      users.clear();
      node.calls?.ledger.flush();
      // done() always, and no rejection left unhandled: either would hurt the redeploy
      Promise.all([node.client?.close(), node.shared?.close()])
        .catch((err: Error) => node.debug(`closing: ${err.message}`))
        .then(() => done());
    });
  }

  registerAdminEndpoints(RED, (config, credentials) =>
    settingsOf(RED, config as ServerConfig, credentials),
  );

  RED.nodes.registerType<Node<ServerCredentials>, ServerConfig, unknown, ServerCredentials>(
    'xassist-server',
    XAssistServer,
    {
      credentials: {
        username: { type: 'text' },
        password: { type: 'password' },
        redisPassword: { type: 'password' },
      },
    },
  );
};

function settingsOf(
  RED: NodeAPI,
  config: ServerConfig,
  credentials: ServerCredentials | undefined,
): ServerSettings {
  const timeout = config.timeout;
  return {
    url: config.url,
    domain: config.domain,
    username: credentials?.username ?? '',
    password: credentials?.password ?? '',
    refreshPath: config.refreshPath,
    timeoutMs: timeout === undefined || timeout === '' ? undefined : Number(timeout) * 1000,
    tls: tlsOf(RED, config.tls),
    proxy: proxyOf(RED, config.proxy),
  };
}

function tlsOf(RED: NodeAPI, id: string | undefined): TlsOptions | undefined {
  const tlsNode = id ? (RED.nodes.getNode(id) as TlsConfigNode | null) : null;
  return tlsNode ? tlsNode.addTLSOptions({}) : undefined;
}

function proxyOf(RED: NodeAPI, id: string | undefined): ProxySettings | undefined {
  const proxyNode = id ? (RED.nodes.getNode(id) as HttpProxyNode | null) : null;
  if (!proxyNode) return undefined;
  return {
    url: proxyNode.url,
    noProxy: proxyNode.noproxy,
    username: proxyNode.credentials?.username,
    password: proxyNode.credentials?.password,
  };
}

function sharedStateOf(
  RED: NodeAPI,
  config: ServerConfig,
  credentials: ServerCredentials | undefined,
): SharedStateSettings | undefined {
  const url = config.redisUrl?.trim();
  if (!url) return undefined;
  const leaseS = Number(config.redisLease);
  return {
    url,
    password: credentials?.redisPassword || undefined,
    prefix: config.redisPrefix?.trim() || DEFAULT_PREFIX,
    leaseMs: leaseS >= 1 ? leaseS * 1000 : DEFAULT_LEASE_MS,
    tls: tlsOf(RED, config.redisTls),
  };
}

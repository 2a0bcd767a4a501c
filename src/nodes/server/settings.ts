import type { Node, NodeAPI, NodeDef } from 'node-red';
import type { ServerCredentials } from '../../node-red/types';
import { isEmpty, isValidNumber } from '../../schema/numbers';
import {
  DEFAULT_LEASE_MS,
  DEFAULT_PREFIX,
  type SharedStateSettings,
} from '../../state/redis-options';
import type { ProxySettings, ServerSettings, TlsOptions } from '../../xassist';
import { SERVER_SCHEMA } from './schema';

export interface ServerConfig extends NodeDef {
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

interface TlsConfigNode extends Node {
  addTLSOptions(options: TlsOptions): TlsOptions;
}

interface HttpProxyNode extends Node<{ username?: string; password?: string }> {
  url: string;
  noproxy?: string[];
}

/** The client's settings from the node's, with the TLS and proxy config nodes it names. */
export function settingsOf(
  RED: NodeAPI,
  config: ServerConfig,
  credentials: ServerCredentials | undefined,
): ServerSettings {
  return {
    url: config.url,
    domain: config.domain,
    username: credentials?.username ?? '',
    password: credentials?.password ?? '',
    refreshPath: config.refreshPath,
    // the client checks it: a bad one is a config error of the node, not a fallback
    timeoutMs: isEmpty(config.timeout) ? undefined : Number(config.timeout) * 1000,
    tls: tlsOf(RED, config.tls),
    proxy: proxyOf(RED, config.proxy),
  };
}

/** Shared state's settings, or undefined when no Redis URL is set: this instance alone. */
export function sharedStateOf(
  RED: NodeAPI,
  config: ServerConfig,
  credentials: ServerCredentials | undefined,
): SharedStateSettings | undefined {
  const url = config.redisUrl?.trim();
  if (!url) return undefined;
  const leaseS = Number(config.redisLease);
  const { redisLease } = SERVER_SCHEMA.fields;
  return {
    url,
    password: credentials?.redisPassword || undefined,
    prefix: config.redisPrefix?.trim() || DEFAULT_PREFIX,
    leaseMs: isValidNumber(redisLease, config.redisLease) ? leaseS * 1000 : DEFAULT_LEASE_MS,
    tls: tlsOf(RED, config.redisTls),
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

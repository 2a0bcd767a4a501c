import type { Node, NodeStatus } from 'node-red';
import type { CallMaker } from '../calls/call-maker';
import type { SharedReads } from '../calls/shared-reads';
import type { SharedState } from '../state/shared-state';
import type { UserDirectory, XAssistClient, XAssistError } from '../xassist';

export interface ServerCredentials {
  username?: string;
  password?: string;
  redisPassword?: string;
}

/** What a server node gives the nodes that use it: all of it, or (invalid settings) none. */
export interface ServerApi {
  /** the shared client */
  client: XAssistClient;
  /** login names and emails to contacts, cached */
  directory: UserDirectory;
  /** reads of calls, one request for every node that reads the same call at the same moment */
  reads: SharedReads;
  /** makes calls for every node of this server, none lost and none twice */
  calls: CallMaker;
}

export interface XAssistServerNode extends Node<ServerCredentials> {
  /** undefined when the settings are invalid: configError says why */
  api?: ServerApi;
  configError?: XAssistError;
  /** Redis, shared by the Node-RED instances that run these flows; undefined: this one alone */
  shared?: SharedState;
  /** `onProblem` hears of each connection problem (a status to show), and of its end */
  register(user: Node, onProblem: (problem: NodeStatus | undefined) => void): void;
  deregister(user: Node): void;
}

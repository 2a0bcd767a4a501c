import type { Node } from 'node-red';
import type { XAssistClient, XAssistError } from '../xassist';

export interface ServerCredentials {
  username?: string;
  password?: string;
}

export interface XAssistServerNode extends Node<ServerCredentials> {
  /** the shared client, or undefined when the settings are invalid (see configError) */
  client?: XAssistClient;
  configError?: XAssistError;
  register(user: Node): void;
  deregister(user: Node): void;
}

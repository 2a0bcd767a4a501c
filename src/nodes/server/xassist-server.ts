import type { Node, NodeAPI, NodeStatus } from 'node-red';
import { CallLedger, CLAIMS, SharedClaims } from '../../calls/ledger';
import { contextState } from '../../node-red/context-state';
import { connectionProblem, sharedStateProblem } from '../../node-red/status';
import type { ServerCredentials, XAssistServerNode } from '../../node-red/types';
import { SharedState } from '../../state/shared-state';
import { XAssistClient, type XAssistError } from '../../xassist';
import { credentialsOf, withDefaults } from '../../schema/defaults';
import { registerAdminEndpoints } from './admin';
import { connectionOf } from './connection';
import { SERVER_SCHEMA } from './schema';
import { settingsOf, sharedStateOf, type ServerConfig } from './settings';
import { ServerUsers } from './users';

/** the calls taken lately by this server's nodes, in its context */
const CLAIMS_KEY = 'claimedCalls';

export = function register(RED: NodeAPI): void {
  function XAssistServer(this: Node<ServerCredentials>, saved: ServerConfig): void {
    RED.nodes.createNode(this, saved);
    const config = withDefaults(SERVER_SCHEMA, saved);
    const node = this as XAssistServerNode;
    const t = (key: string) => RED._(key);
    const invalid: NodeStatus = {
      fill: 'red',
      shape: 'ring',
      text: t('xassist-server.status.invalid'),
    };
    const users = new ServerUsers({
      first: () => node.api?.client.start(),
      last: () => node.api?.client.stop(),
    });

    const sharedSettings = sharedStateOf(RED, config, node.credentials);
    if (sharedSettings) {
      try {
        // SharedState loads ioredis as it is built: a single instance never loads it
        node.shared = new SharedState(sharedSettings, {
          info: (m) => node.log(m),
          warn: (m) => node.warn(m),
          error: (m) => node.error(m),
        });
        node.shared.on('status', (status: SharedState['status']) =>
          users.sharedStateProblem(sharedStateProblem(status, t)),
        );
      } catch (err) {
        node.error(`shared state: ${(err as Error).message}`);
        users.sharedStateProblem(invalid);
      }
    }

    try {
      const client = new XAssistClient(settingsOf(RED, config, node.credentials), {
        log: { debug: (m) => node.debug(m), info: (m) => node.log(m), warn: (m) => node.warn(m) },
      });
      node.api = connectionOf(client, ledgerOf(node));
      node.api.client.on('state', (change) => {
        // a problem is shown until it is over, not hidden by each attempt to get past it
        if (change.state !== 'connecting') users.connectionProblem(connectionProblem(change, t));
      });
    } catch (err) {
      node.configError = err as XAssistError;
      node.error(node.configError.message);
      users.connectionProblem(invalid);
    }

    node.register = (user, onProblem) => users.add(user, onProblem);
    node.deregister = (user) => users.remove(user);

    node.on('close', (_removed: boolean, done: () => void) => {
      users.clear();
      node.api?.calls.ledger.flush();
      // done() always, and no rejection left unhandled: either would hurt the redeploy
      Promise.all([node.api?.client.close(), node.shared?.close()])
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
    { credentials: credentialsOf(SERVER_SCHEMA) },
  );
};

/**
 * The calls taken, kept in the server node's context: a redeploy or (with a file store) a
 * restart does not take a call made before for the answer of a lost request.
 */
function ledgerOf(node: XAssistServerNode): CallLedger {
  const state = contextState(node);
  return new CallLedger(
    {
      load: () => state.load(CLAIMS_KEY, CLAIMS) ?? [],
      save: (claims) => state.save(CLAIMS_KEY, CLAIMS, claims),
    },
    node.shared &&
      new SharedClaims(node.shared, node.id, (err) =>
        node.debug(`shared state: ${(err as Error).message}`),
      ),
  );
}

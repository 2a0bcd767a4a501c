import type { NodeAPI } from 'node-red';
import type { ServerSettings } from '../../xassist';
import type { XAssistServerNode } from '../../node-red/types';
import { checkServer } from './check';

/** What the dialog sends to check settings that may not be deployed yet. */
export interface CheckRequest {
  id?: string;
  url?: string;
  domain?: string;
  username?: string;
  /** empty, or the editor's placeholder, when the stored password is meant */
  password?: string;
  refreshPath?: string;
  timeout?: string | number;
  tls?: string;
  proxy?: string;
}

type SettingsOf = (
  config: CheckRequest,
  credentials: { username?: string; password?: string },
) => ServerSettings;

/** The editor's placeholder for a password it has but does not show. */
const STORED_PASSWORD = '__PWRD__';
const MAX_USERS = 100;

/**
 * Admin endpoints for the editor, behind Node-RED's permissions. Neither ever returns a
 * credential: the check answers a message built from the client's errors (which redact the
 * password and tokens) and a report of statuses, forms and counts, the user list only names,
 * logins and emails.
 */
export function registerAdminEndpoints(RED: NodeAPI, settingsOf: SettingsOf): void {
  // write: it logs in with the stored password, which only those who may change the node use
  RED.httpAdmin.post(
    '/xassist-server/check',
    RED.auth.needsPermission('xassist-server.write'),
    (req, res) => {
      const body = (req.body ?? {}) as CheckRequest;
      const stored = (body.id ? RED.nodes.getCredentials(body.id) : undefined) as
        { username?: string; password?: string } | undefined;
      const password =
        !body.password || body.password === STORED_PASSWORD ? stored?.password : body.password;
      checkServer(() => settingsOf(body, { username: body.username ?? stored?.username, password }))
        .then((answer) => res.json(answer))
        .catch(() => res.status(500).json({ ok: false, message: 'check failed' }));
    },
  );

  RED.httpAdmin.get(
    '/xassist-server/:id/users',
    RED.auth.needsPermission('xassist-server.read'),
    (req, res) => {
      const server = RED.nodes.getNode(String(req.params.id)) as XAssistServerNode | null;
      const client = server?.api?.client;
      if (!client) {
        res.status(404).json({ message: 'deploy the xAssist server first' });
        return;
      }
      const query = String(req.query.q ?? '').trim();
      const lookUps = query.includes('@')
        ? [client.listUsers({ email: query })]
        : [client.listUsers({ userid: query }), client.listUsers({ displayname: query })];
      Promise.all(lookUps)
        .then((pages) => {
          const users = new Map<string, { userId: string; realName?: string; email?: string }>();
          for (const user of pages.flatMap((page) => page.content)) {
            users.set(user.userId, {
              userId: user.userId,
              realName: user.realName,
              email: user.email,
            });
          }
          res.json([...users.values()].slice(0, MAX_USERS));
        })
        .catch((err: unknown) => res.status(502).json({ message: (err as Error).message }));
    },
  );
}

/**
 * The benches' Node-RED instances: the tests' NodeRedProcess and UserDir, with a copy of the
 * build (package-snapshot.ts) installed instead of the checkout, and what the benches ask of them.
 */
import { readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import type { FlowNode } from '../../test/support/node-red';
import { freePort, NodeRedProcess, UserDir } from '../../test/support/node-red-process';
import type { Started } from './started';

/** The flows_cred.json of an instance that logs in as the simulator's user `userId`. */
const credentialsOf = (userId: string) => ({
  server: { username: userId, password: `${userId}-password` },
});

/**
 * A Node-RED process, not started yet, of a user directory of its own holding `flows` and the
 * package at `packageDir`, logging in to xAssist as `user`; killed and its directory removed when
 * the bench stops. A kill of an instance killed already does nothing: it can be started again.
 */
export async function newInstance(
  started: Started,
  packageDir: string,
  { flows, user }: { flows: FlowNode[]; user: string },
): Promise<NodeRedProcess> {
  const userDir = userDirWith(packageDir);
  userDir.write(flows, credentialsOf(user), await freePort());
  const nodeRed = new NodeRedProcess(userDir);
  started.add(async () => {
    await nodeRed.kill();
    userDir.remove();
  });
  return nodeRed;
}

/**
 * A user directory as the tests make it, with its link to the checkout pointed at the package at
 * `packageDir` instead.
 */
function userDirWith(packageDir: string): UserDir {
  const userDir = new UserDir();
  const { name } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const link = path.join(userDir.dir, 'node_modules', name);
  rmSync(link);
  symlinkSync(packageDir, link, 'dir');
  return userDir;
}

/** The pid of a Node-RED started. */
export function pidOf(nodeRed: NodeRedProcess): number {
  if (nodeRed.pid === undefined) throw new Error('Node-RED is not running');
  return nodeRed.pid;
}

/** POSTs `body` as JSON to an http in node of the flows; throws unless it answers 2xx. */
export async function post(nodeRed: NodeRedProcess, path: string, body: unknown): Promise<void> {
  const answer = await fetch(`${nodeRed.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  await answer.arrayBuffer();
  if (!answer.ok) throw new Error(`POST ${path}: ${answer.status}`);
}

/** Resolves with the time at which Node-RED's output, from `from` on, holds `text`. */
export async function untilOutput(
  nodeRed: NodeRedProcess,
  text: string,
  from = 0,
): Promise<number> {
  while (!nodeRed.output.slice(from).includes(text)) await nodeRed.nextOutput();
  return performance.now();
}

/** Resolves once Node-RED logs, from `from` on, that its shared state reached Redis. */
export const connectedToRedis = (nodeRed: NodeRedProcess, from = 0) =>
  untilOutput(nodeRed, 'shared state: connected to Redis', from);

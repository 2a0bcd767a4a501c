/**
 * PLACEHOLDER: registers the node type so that the editor branch builds, loads and its tests
 * run. The lead's runtime (fetching the assets) replaces this file at merge.
 */
import type { NodeAPI, NodeDef } from 'node-red';
import { defineNode } from '../../node-red/skeleton';
import { ASSETS_SCHEMA } from './schema';

export = function register(RED: NodeAPI): void {
  defineNode<NodeDef & { server?: string }>(RED, ASSETS_SCHEMA, (kit) => {
    kit.onInput(async () => undefined, {});
  });
};

import type { FlowNode } from './node-red';

/** The xassist-server config node `server` of a test flow, for the connector's domain. */
export function serverConfig(url: string, settings: Record<string, unknown> = {}): FlowNode {
  return { id: 'server', type: 'xassist-server', url, domain: 'ubimax', ...settings };
}

/** A node of this package on tab `tab`, using the config node `server`. */
export function xassistNode(
  id: string,
  type: string,
  settings: Record<string, unknown>,
  tab = 'tab',
): FlowNode {
  return { id, type, z: tab, server: 'server', ...settings };
}

/** A change node on tab `tab` that sets msg[`property`] to a JSONata expression, or to msg[`to`]. */
export function setMsg(
  id: string,
  property: string,
  to: string,
  position: { x: number; y: number; wires: string[][] },
  tot: 'jsonata' | 'msg' = 'jsonata',
  tab = 'tab',
): FlowNode {
  return {
    id,
    type: 'change',
    z: tab,
    rules: [{ t: 'set', p: property, pt: 'msg', to, tot }],
    ...position,
  };
}

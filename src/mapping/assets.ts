/**
 * The assets shared in a call (photos, snapshots, files), as a message gives them: what public
 * client code shows of an asset (`{id, name, type, uri, state, checksum, createdAt…}`), its
 * date as ISO text, from an event (`asset`, or only `assetUri`) or a call log (`assets[]`).
 */
import { isoDate } from './message-dates';
import { isPlainObject } from './values';

export interface AssetRef {
  /** the asset's id, else its uri */
  id: string;
  /** a file name: the server's, else the last part of its uri */
  name: string;
  /** IMAGE, VIDEO, DOCUMENT… as the server says; null when it does not */
  type: string | null;
  uri: string;
  /** READY, or what the server says while it is not (an upload in progress); null: not said */
  state: string | null;
  /** bytes, when the server tells them */
  size?: number;
  checksum?: string;
  /** ISO text, when the server tells it */
  createdAt: string | null;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** An asset as the server gives it, or undefined for what is not one (no uri). */
export function assetOf(value: unknown, uri?: unknown): AssetRef | undefined {
  const asset = isPlainObject(value) ? value : {};
  const at = text(asset.uri) ?? text(uri);
  if (!at) return undefined;
  const id = text(asset.id) ?? (typeof asset.id === 'number' ? String(asset.id) : undefined);
  const size = typeof asset.size === 'number' && asset.size >= 0 ? asset.size : undefined;
  const checksum = text(asset.checksum);
  return {
    id: id ?? at,
    name:
      text(asset.name) ??
      at
        .split(/[/\\:]/)
        .filter(Boolean)
        .pop() ??
      at,
    type: text(asset.type) ?? null,
    uri: at,
    state: text(asset.state) ?? null,
    ...(size !== undefined && { size }),
    ...(checksum && { checksum }),
    createdAt: asset.createdAt === undefined ? null : (isoDate(asset.createdAt) ?? null),
  };
}

/** The asset an event shares: its `asset`, else its `assetUri` alone. */
export function eventAssetOf(event: Record<string, unknown>): AssetRef | undefined {
  return assetOf(event.asset, event.assetUri);
}

/**
 * The assets of a call: its `assets[]`, and those its events share that the list lacks, in
 * order, one per uri (the list's own reading wins: it is the newer, e.g. once an upload ends).
 */
export function callAssetsOf(call: Record<string, unknown>): AssetRef[] {
  const listed = Array.isArray(call.assets) ? call.assets.map((asset) => assetOf(asset)) : [];
  const shared = Array.isArray(call.events)
    ? call.events.map((event) => (isPlainObject(event) ? eventAssetOf(event) : undefined))
    : [];
  const byUri = new Map<string, AssetRef>();
  for (const asset of [...listed, ...shared]) {
    if (asset && !byUri.has(asset.uri)) byUri.set(asset.uri, asset);
  }
  return [...byUri.values()];
}

/** Whether the server says an asset is complete: READY, or nothing said. */
export function isReady(asset: Pick<AssetRef, 'state'>): boolean {
  return asset.state === null || /^(READY|DONE|COMPLETE|COMPLETED|AVAILABLE)$/i.test(asset.state);
}

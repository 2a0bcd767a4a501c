import type { NodeMessageInFlow } from 'node-red';
import { assetOf, callAssetsOf, type AssetRef } from '../../mapping/assets';
import { FieldError } from '../../mapping/field-error';
import { isPlainObject, kind } from '../../mapping/values';

export type AssetsMessage = NodeMessageInFlow & {
  asset?: unknown;
  assets?: unknown;
  callId?: unknown;
};

/**
 * The assets a message names: `msg.asset` (call-status's event), `msg.assets` (its ended
 * output), `msg.payload.assets` (a call log); undefined when it names none but a call
 * (`msg.callId`), whose assets are then read.
 */
export function assetsOf(msg: AssetsMessage): AssetRef[] | undefined {
  if (msg.asset !== undefined) return [checked(msg.asset, 'asset')];
  if (msg.assets !== undefined) return listOf(msg.assets, 'assets');
  const { payload } = msg;
  if (isPlainObject(payload) && Array.isArray(payload.assets)) return callAssetsOf(payload);
  if (callIdOf(msg)) return undefined;
  throw new FieldError(
    'asset',
    'must be an asset (msg.asset), a list of them (msg.assets), a call (msg.payload with ' +
      'assets) or a call id (msg.callId), as call-status gives them',
  );
}

/** The size variant asked for, as the server spells them: SMALL, ORIGINAL… */
export function sizeOf(value: unknown): string {
  const text = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (!/^[A-Z_]+$/.test(text)) {
    throw new FieldError(
      'size',
      `must be a size such as SMALL or ORIGINAL, not '${String(value)}'`,
    );
  }
  return text;
}

/** The call the assets are of: msg.callId, else the call log's own. */
export function callIdOf(msg: AssetsMessage): string | undefined {
  const { payload } = msg;
  const id = msg.callId ?? (isPlainObject(payload) ? payload.callId : undefined);
  return typeof id === 'string' && id.trim() !== '' ? id.trim() : undefined;
}

function listOf(value: unknown, field: string): AssetRef[] {
  if (!Array.isArray(value)) throw new FieldError(field, `must be a list, not ${kind(value)}`);
  return value.map((asset, index) => checked(asset, `${field}[${index}]`));
}

function checked(value: unknown, field: string): AssetRef {
  const asset = typeof value === 'string' ? assetOf(undefined, value) : assetOf(value);
  if (!asset) throw new FieldError(field, `must be an asset with its uri, not ${kind(value)}`);
  return asset;
}

/** A file name from the asset's: its last part, without what a file system takes for a path. */
export function safeFilename(name: string, fallback: string): string {
  const last = name.split(/[/\\]/).pop() ?? '';
  const clean = last
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\u0000-\u001f<>:"|?*]/g, '_')
    .replace(/^\.+/, '')
    .trim();
  return clean || fallback;
}

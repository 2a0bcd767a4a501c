import type { AssetSize } from '../xassist/types';
import { checksumOf, DEFAULT_ORIGINAL_BYTES, servedBytes, type AssetContent } from './asset-bytes';
import type { ShareOptions } from './asset-shares';
import { springError, type Reply } from './replies';
import type { AssetChecksum } from './variants';

export { assetBytes, assetLength, type AssetContent } from './asset-bytes';
export { shareOptionsOf, type ShareOptions } from './asset-shares';

/**
 * An asset shared in a call, as public client code shows it: its dates epoch-millisecond
 * longs whatever the call's dates are.
 */
export interface SimAsset {
  id: string;
  name: string;
  type: string;
  uri: string;
  /** `UPLOADING` until it is `READY` */
  state: string;
  /** the hex digest of its ORIGINAL bytes; absent under the `assetChecksum` variant `none` */
  checksum?: string;
  createdAt: number;
  updatedAt: number;
  createdBy: string;
  tags: string[];
  version: string;
}

/** An asset as the simulator keeps it: what it answers, and what makes its download. */
export interface StoredAsset {
  /** as the call log's `assets[]` answers it; its state changes once it is READY */
  readonly record: SimAsset;
  /** what its bytes are made of */
  readonly content: Required<AssetContent>;
  /** deleted: its download answers 404, the call log still lists it */
  gone: boolean;
}

/** The type of the call event that shares an asset: not shown by any public source. */
export const ASSET_EVENT = 'AssetShared';

/** what the download answers as Content-Type, by asset type; any other type octet-stream */
const CONTENT_TYPES: Record<string, string> = {
  IMAGE: 'image/jpeg',
  VIDEO: 'video/mp4',
  DOCUMENT: 'application/pdf',
};

/**
 * A new asset as `options` ask, its checksum in the style of the server's `assetChecksum`
 * variant at the time, as a server computes it once on upload. Throws when `options` ask a
 * wrong checksum from a server that gives none.
 */
export function newAsset(
  id: string,
  createdBy: string,
  at: number,
  options: ShareOptions,
  checksum: AssetChecksum,
): StoredAsset {
  if (options.checksum === 'wrong' && checksum === 'none') {
    throw new Error("checksum: 'wrong' needs a checksum, and the assetChecksum variant is none");
  }
  const content = { id, bytes: options.bytes ?? DEFAULT_ORIGINAL_BYTES };
  const record: SimAsset = {
    id,
    name: options.name ?? 'photo.jpg',
    type: options.type ?? 'IMAGE',
    uri: `asset://${id}`,
    state: options.readyAfterMs ? 'UPLOADING' : 'READY',
    ...(checksum === 'none' ? {} : { checksum: checksumFor(content, checksum, options) }),
    createdAt: at,
    updatedAt: at,
    createdBy,
    tags: [],
    version: '1',
  };
  return { record, content, gone: false };
}

function checksumFor(
  content: AssetContent,
  algorithm: 'sha256' | 'md5',
  options: ShareOptions,
): string {
  // a digest of other bytes: as well-formed as the right one, and matching nothing served
  if (options.checksum === 'wrong') return checksumOf(Buffer.from(`not ${content.id}`), algorithm);
  return checksumOf(servedBytes(content, 'ORIGINAL'), algorithm);
}

/**
 * `GET assets/download_asset_by_uri?uri=&size=`: the bytes of the asset at `uri` in `size`
 * (`assetBytes`, not an image a viewer would show) when `accepted` holds that size, only their
 * first half while it is still UPLOADING; a Spring 400 for a size it lacks, as for a value
 * missing from the server's enum; a 404 for an unknown or deleted uri. The Accept header is not
 * looked at.
 */
export function assetDownload(
  params: URLSearchParams,
  path: string,
  accepted: readonly AssetSize[],
  find: (uri: string) => StoredAsset | undefined,
): Reply {
  const uri = params.get('uri');
  const size = params.get('size');
  if (!uri) return missing('uri', 'String', path);
  if (!size) return missing('size', 'AssetSize', path);
  if (!accepted.includes(size as AssetSize)) {
    return springError(
      400,
      `Failed to convert value of type 'java.lang.String' to required type 'AssetSize'; ` +
        `No enum constant AssetSize.${size}`,
      path,
    );
  }
  const stored = find(uri);
  if (!stored || stored.gone) return springError(404, `Asset ${uri} not found`, path);
  const bytes = servedBytes(stored.content, size as AssetSize);
  const { record } = stored;
  return {
    status: 200,
    body: undefined,
    // what is stored so far, as a server serving a file still being written does
    bytes: record.state === 'READY' ? bytes : bytes.subarray(0, Math.floor(bytes.length / 2)),
    headers: {
      'Content-Type': CONTENT_TYPES[record.type] ?? 'application/octet-stream',
      'Content-Disposition': attachment(record.name),
    },
  };
}

/** A Content-Disposition naming `name`: quoted in ASCII, and in UTF-8 too when it is not ASCII. */
function attachment(name: string): string {
  const quoted = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '\\$&');
  if (/^[\x20-\x7e]*$/.test(name)) return `attachment; filename="${quoted}"`;
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${quoted}"; filename*=UTF-8''${encoded}`;
}

function missing(name: string, type: string, path: string): Reply {
  return springError(
    400,
    `Required request parameter '${name}' for method parameter type ${type} is not present`,
    path,
  );
}

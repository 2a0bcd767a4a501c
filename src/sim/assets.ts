import { createHash } from 'node:crypto';
import type { AssetSize } from '../xassist/types';
import { springError, type Reply } from './replies';

/**
 * An asset shared in a call, as public client code shows it: its dates epoch-millisecond
 * longs whatever the call's dates are.
 */
export interface SimAsset {
  id: string;
  name: string;
  type: string;
  uri: string;
  state: string;
  checksum: string;
  createdAt: number;
  updatedAt: number;
  createdBy: string;
  tags: string[];
  version: string;
}

/** The type of the call event that shares an asset: not shown by any public source. */
export const ASSET_EVENT = 'AssetShared';

/** the bytes each size answers: enough that a client reading them all would show */
const SIZE_BYTES: Record<AssetSize, number> = {
  SMALL: 16 * 1024,
  MEDIUM: 128 * 1024,
  LARGE: 512 * 1024,
  ORIGINAL: 2 * 1024 * 1024,
};

export function newAsset(id: string, name: string, createdBy: string, at: number): SimAsset {
  return {
    id,
    name,
    type: 'IMAGE',
    uri: `asset://${id}`,
    state: 'READY',
    checksum: createHash('sha256').update(id).digest('hex'),
    createdAt: at,
    updatedAt: at,
    createdBy,
    tags: [],
    version: '1',
  };
}

/**
 * `GET assets/download_asset_by_uri?uri=&size=`: the bytes of the asset at `uri` in `size` (a
 * text repeated, not an image a viewer would show) when `accepted` holds that size; a Spring
 * 400 for a size it lacks, as for a value missing from the server's enum; a 404 for an unknown
 * uri. The Accept header is not looked at.
 */
export function assetDownload(
  params: URLSearchParams,
  path: string,
  accepted: readonly AssetSize[],
  find: (uri: string) => SimAsset | undefined,
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
  const asset = find(uri);
  if (!asset) return springError(404, `Asset ${uri} not found`, path);
  return {
    status: 200,
    body: undefined,
    bytes: Buffer.alloc(SIZE_BYTES[size as AssetSize], `xassist-sim ${asset.id} ${size}\n`),
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename="${asset.name}"`,
    },
  };
}

function missing(name: string, type: string, path: string): Reply {
  return springError(
    400,
    `Required request parameter '${name}' for method parameter type ${type} is not present`,
    path,
  );
}

import type { AssetRef } from '../mapping/assets';

export type AssetProblem =
  | 'ASSET_GONE'
  | 'ASSET_TOO_LARGE'
  | 'ASSET_NOT_READY'
  | 'ASSET_CHECKSUM'
  | 'ASSET_SIZE'
  | 'ASSET_FAILED';

/** One asset that could not be fetched, named, with what went wrong. */
export class AssetError extends Error {
  constructor(
    readonly code: AssetProblem,
    readonly asset: AssetRef,
    problem: string,
    readonly status?: number,
  ) {
    super(`asset '${asset.name}' (${asset.uri}): ${problem}`);
    this.name = 'AssetError';
  }
}

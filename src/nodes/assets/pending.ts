import type { AssetRef } from '../../mapping/assets';
import type { Shape } from '../../state/versioned';

/** The assets of a message that a close interrupted: fetched at the next start. */
export interface PendingAssets {
  msg: Record<string, unknown>;
  assets: AssetRef[];
  size: string;
  callId: string | undefined;
}

export const PENDING_ASSETS: Shape<PendingAssets[]> = {
  version: 1,
  migrations: [],
  valid: (value) => (Array.isArray(value) ? value.filter(isPending) : undefined),
};

function isPending(value: unknown): value is PendingAssets {
  const candidate = value as Partial<PendingAssets> | null;
  return (
    typeof candidate?.msg === 'object' &&
    candidate.msg !== null &&
    Array.isArray(candidate.assets) &&
    candidate.assets.every((asset) => typeof asset?.uri === 'string') &&
    typeof candidate.size === 'string'
  );
}

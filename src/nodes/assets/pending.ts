import type { AssetRef } from '../../mapping/assets';
import { portableCopy } from '../../node-red/message';
import type { NodeState } from '../../state/node-state';
import type { Shape } from '../../state/versioned';
import type { Batch } from './delivery';

const PENDING_KEY = 'pending';
/** a Catch's error does not go with a message kept for the next start */
const NOT_SAVED = new Set(['error']);

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

/** Where the node keeps, at a close, the assets not yet sent, for the next start. */
export class PendingAssetsStore {
  constructor(private readonly state: NodeState) {}

  /** What a close kept, once: taken, it is kept no longer. */
  take(): PendingAssets[] {
    const kept = this.state.load(PENDING_KEY, PENDING_ASSETS) ?? [];
    if (kept.length) this.state.save(PENDING_KEY, PENDING_ASSETS, []);
    return kept;
  }

  keep(batches: Batch[]): void {
    if (batches.length === 0) return;
    this.state.save(
      PENDING_KEY,
      PENDING_ASSETS,
      batches.map(({ msg, assets, size, callId }) => ({
        msg: portableCopy(msg, NOT_SAVED),
        assets,
        size,
        callId,
      })),
    );
  }
}

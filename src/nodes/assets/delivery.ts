import type { NodeMessage } from 'node-red';
import { AssetError } from '../../assets/asset-error';
import { fetchAsset } from '../../assets/fetch-asset';
import { fetchedKey, type FetchedAssets } from '../../assets/fetched';
import type { AssetRef } from '../../mapping/assets';
import type { XAssistClient } from '../../xassist';
import type { AssetsMessage } from './inputs';
import { safeFilename } from './inputs';

/** assets fetched at once, over all messages: memory holds at most this many of them */
const AT_ONCE = 2;
/** how long failures that may pass (an outage, a 429) are tried again for one asset */
const RETRY_FOR_MS = 60_000;

export interface DeliveryOptions {
  fetched: FetchedAssets;
  maxBytes: number;
  readyWaitMs: number;
  /** aborted when the node closes: what is being fetched is let go, not reported */
  signal: AbortSignal;
  wait: (ms: number) => Promise<void>;
  debug: (message: string) => void;
  /** an asset that could not be fetched: to Catch, with the message it was asked for by */
  failed: (error: unknown, msg: NodeMessage) => void;
}

/** The assets of one message, and what they are fetched with. */
export interface Batch {
  msg: AssetsMessage;
  assets: AssetRef[];
  size: string;
  callId: string | undefined;
  client: Pick<XAssistClient, 'downloadAsset'>;
  readCall?: () => Promise<Record<string, unknown>>;
}

/**
 * Sends each asset of a message as a message of its own, a few at a time over all messages so
 * that memory stays bounded; an asset fetched before (an event sent again) is not fetched again.
 */
export class AssetDelivery {
  private readonly slots = new Slots(AT_ONCE);
  /** each batch being delivered, with the indexes of its assets not yet sent or reported */
  private readonly open = new Map<Batch, Set<number>>();
  /** a download answered once: a 404 after that is an asset gone, not a missing endpoint */
  private endpointSeen = false;

  constructor(private readonly options: DeliveryOptions) {}

  /** Resolves once each asset is sent or reported, with how many were each. */
  async deliver(
    batch: Batch,
    send: (msg: NodeMessage) => void,
    progress: (done: number) => void,
  ): Promise<{ sent: number; failed: number }> {
    const told = { sent: 0, failed: 0, done: 0 };
    const left = new Set(batch.assets.keys());
    this.open.set(batch, left);
    await Promise.all(
      batch.assets.map((asset, index) =>
        this.slots.run(async () => {
          // a close stops here: the asset stays left, for the next start
          if (this.options.signal.aborted) return;
          const outcome = await this.one(batch, asset, index, send);
          if (outcome === 'stopped') return;
          left.delete(index);
          if (outcome !== 'skipped') told[outcome] += 1;
          told.done += 1;
          progress(told.done);
        }),
      ),
    );
    if (left.size === 0) this.open.delete(batch);
    return { sent: told.sent, failed: told.failed };
  }

  /** What a close left: each batch with the assets neither sent nor reported. */
  unfinished(): Batch[] {
    return [...this.open].map(([batch, left]) => ({
      ...batch,
      assets: batch.assets.filter((_, index) => left.has(index)),
    }));
  }

  private async one(
    { msg, assets, size, callId, client, readCall }: Batch,
    asset: AssetRef,
    index: number,
    send: (msg: NodeMessage) => void,
  ): Promise<'sent' | 'failed' | 'skipped' | 'stopped'> {
    const { fetched, signal } = this.options;
    const key = fetchedKey(callId, asset.id, size);
    if (!(await fetched.claim(key))) {
      this.options.debug(`asset '${asset.name}' of call ${callId ?? '?'}: fetched before`);
      return 'skipped';
    }
    try {
      const got = await fetchAsset(client, asset, {
        size,
        maxBytes: this.options.maxBytes,
        readyWaitMs: this.options.readyWaitMs,
        retryForMs: RETRY_FOR_MS,
        readCall,
        endpointSeen: () => this.endpointSeen,
        signal,
        wait: this.options.wait,
      });
      this.endpointSeen = true;
      send({
        ...msg,
        payload: got.bytes,
        filename: safeFilename(got.asset.name, got.asset.id),
        contentType: got.contentType,
        asset: got.asset,
        callId,
        parts: { id: msg._msgid, index, count: assets.length },
      } as NodeMessage);
      fetched.done(key);
      return 'sent';
    } catch (err) {
      await fetched.release(key);
      if (signal.aborted) return 'stopped';
      // an answer about the asset says the endpoint is there
      if (err instanceof AssetError && err.status !== undefined && err.status !== 404) {
        this.endpointSeen = true;
      }
      this.options.failed(err, { ...msg, asset, callId } as NodeMessage);
      return 'failed';
    }
  }
}

/** At most `size` tasks at once; the others wait their turn, in order. */
class Slots {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.running += 1;
    try {
      return await task();
    } finally {
      this.running -= 1;
      this.queue.shift()?.();
    }
  }
}

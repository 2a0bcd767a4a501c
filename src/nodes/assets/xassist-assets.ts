import type { NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { AssetError } from '../../assets/asset-error';
import { fetchAsset } from '../../assets/fetch-asset';
import { FETCHED, FetchedAssets, fetchedKey } from '../../assets/fetched';
import { callAssetsOf, type AssetRef } from '../../mapping/assets';
import { FieldError } from '../../mapping/field-error';
import { reportOf } from '../../node-red/report';
import { defineNode } from '../../node-red/skeleton';
import { Waits } from '../../node-red/waits';
import { assetsOf, callIdOf, safeFilename, type AssetsMessage } from './inputs';
import { ASSETS_SCHEMA } from './schema';

interface AssetsConfig extends NodeDef {
  server?: string;
  size?: string;
  sizeType?: string;
  maxSize?: string | number;
  readyWait?: string | number;
}

const FETCHED_KEY = 'fetched';
/** assets fetched at once, over all messages: memory holds at most this many of them */
const AT_ONCE = 2;
/** how long failures that may pass (an outage, a 429) are tried again for one asset */
const RETRY_FOR_MS = 60_000;
const MB = 1_048_576;

/**
 * Fetches the assets shared in a call (photos, snapshots, files): one message for each, its
 * bytes a Buffer in msg.payload, ready for a file, an e-mail or an upload. Each failure goes
 * to Catch naming its asset, the others are still sent; none is fetched twice.
 */
export = function register(RED: NodeAPI): void {
  defineNode<AssetsConfig>(RED, ASSETS_SCHEMA, (kit, config) => {
    const { node, t, show } = kit;
    const { fields } = ASSETS_SCHEMA;
    const maxBytes = kit.number(config.maxSize, fields.maxSize, t('label.maxSize')) * MB;
    const readyWaitMs = kit.number(config.readyWait, fields.readyWait, t('label.readyWait')) * 1000;
    const closing = new AbortController();
    const waits = new Waits(() => new Error('the node closed'));
    const slots = new Slots(AT_ONCE);
    const fetched = new FetchedAssets(
      {
        load: () => kit.state.load(FETCHED_KEY, FETCHED) ?? [],
        save: (list) => kit.state.save(FETCHED_KEY, FETCHED, list),
      },
      kit.shared && { state: kit.shared, nodeId: node.id },
      (err) => node.debug(`shared state: ${(err as Error).message}`),
    );
    /** a download answered once: a 404 after that is an asset gone, not a missing endpoint */
    let endpointSeen = false;
    let sent = 0;
    let failed = 0;

    async function sizeOf(msg: AssetsMessage): Promise<string> {
      const size = await kit.evaluate(msg, { value: config.size, type: config.sizeType });
      const text = typeof size === 'string' ? size.trim().toUpperCase() : '';
      if (!/^[A-Z_]+$/.test(text)) {
        throw new FieldError(
          'size',
          `must be a size such as SMALL or ORIGINAL, not '${String(size)}'`,
        );
      }
      return text;
    }

    kit.onInput(
      async (input, send) => {
        const msg = input as AssetsMessage;
        const size = await sizeOf(msg);
        const callId = callIdOf(msg);
        const { client } = kit.api();
        const readCall = callId
          ? async () =>
              (await client.getCallLogById(callId, {
                signal: closing.signal,
              })) as unknown as Record<string, unknown>
          : undefined;
        const assets = assetsOf(msg) ?? callAssetsOf(await readCall!());
        let done = 0;
        const progress = () =>
          show({
            fill: 'blue',
            shape: 'ring',
            text: t('status.fetching', { done, count: assets.length }),
          });
        if (assets.length === 0) {
          show({ fill: 'grey', shape: 'ring', text: t('status.none') });
          return;
        }
        progress();

        const one = async (asset: AssetRef, index: number) => {
          const key = fetchedKey(callId, asset.id, size);
          if (!(await fetched.claim(key))) {
            node.debug(`asset '${asset.name}' of call ${callId ?? '?'}: fetched before`);
            return;
          }
          try {
            const got = await fetchAsset(client, asset, {
              size,
              maxBytes,
              readyWaitMs,
              retryForMs: RETRY_FOR_MS,
              readCall,
              endpointSeen: () => endpointSeen,
              signal: closing.signal,
              wait: waits.wait,
            });
            endpointSeen = true;
            send({
              ...msg,
              payload: got.bytes,
              filename: safeFilename(got.asset.name, `${got.asset.id}`),
              contentType: got.contentType,
              asset: got.asset,
              callId,
              parts: { id: msg._msgid, index, count: assets.length },
            } as NodeMessage);
            fetched.done(key);
            sent += 1;
          } catch (err) {
            await fetched.release(key);
            if (closing.signal.aborted) return;
            if (err instanceof AssetError && err.code !== 'ASSET_FAILED')
              endpointSeen ||= err.status !== 404;
            failed += 1;
            node.error(reportOf(err), { ...msg, asset, callId } as NodeMessage);
          }
        };
        await Promise.all(
          assets.map((asset, index) =>
            slots.run(async () => {
              await one(asset, index);
              done += 1;
              progress();
            }),
          ),
        );
        show({
          fill: failed ? 'yellow' : 'green',
          shape: 'dot',
          text: t('status.fetched', { count: sent, failed }),
        });
      },
      {
        failed: (err) => ({
          fill: 'red',
          shape: 'ring',
          text: t(err instanceof FieldError ? 'status.invalid' : 'status.failed'),
        }),
      },
    );

    kit.onClose(() => {
      closing.abort();
      waits.cancelAll();
    });
  });
};

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

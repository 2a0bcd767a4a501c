import type { NodeAPI, NodeDef } from 'node-red';
import { FETCHED, FetchedAssets } from '../../assets/fetched';
import { callAssetsOf } from '../../mapping/assets';
import { FieldError } from '../../mapping/field-error';
import { reportOf } from '../../node-red/report';
import { defineNode } from '../../node-red/skeleton';
import { Waits } from '../../node-red/waits';
import { AssetDelivery } from './delivery';
import { PendingAssetsStore, type PendingAssets } from './pending';
import { assetsOf, callIdOf, sizeOf, type AssetsMessage } from './inputs';
import { ASSETS_SCHEMA } from './schema';

interface AssetsConfig extends NodeDef {
  server?: string;
  size?: string;
  sizeType?: string;
  maxSize?: string | number;
  readyWait?: string | number;
}

const FETCHED_KEY = 'fetched';
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
    const closing = new AbortController();
    const waits = new Waits(() => new Error('the node closed'));
    const delivery = new AssetDelivery({
      fetched: new FetchedAssets(
        {
          load: () => kit.state.load(FETCHED_KEY, FETCHED) ?? [],
          save: (list) => kit.state.save(FETCHED_KEY, FETCHED, list),
        },
        kit.shared && { state: kit.shared, nodeId: node.id },
        (err) => node.debug(`shared state: ${(err as Error).message}`),
      ),
      maxBytes: kit.number(config.maxSize, fields.maxSize, t('label.maxSize')) * MB,
      readyWaitMs: kit.number(config.readyWait, fields.readyWait, t('label.readyWait')) * 1000,
      signal: closing.signal,
      wait: waits.wait,
      debug: (message) => node.debug(message),
      failed: (err, msg) => node.error(reportOf(err), msg),
    });

    // the assets a close interrupted: fetched at this start, for the messages that asked
    const pending = new PendingAssetsStore(kit.state);
    const kept = pending.take();
    if (kept.length) {
      setImmediate(() => {
        for (const one of kept) {
          void deliverKept(one).catch((err: unknown) => node.error(reportOf(err), one.msg));
        }
      });
    }

    async function deliverKept(kept: PendingAssets): Promise<void> {
      const { client } = kit.api();
      const { callId } = kept;
      await delivery.deliver(
        {
          ...kept,
          msg: kept.msg as AssetsMessage,
          client,
          readCall: callId ? async () => readCall(callId) : undefined,
        },
        (msg) => node.send(msg),
        () => undefined,
      );
    }

    const readCall = async (callId: string) =>
      (await kit.api().client.getCallLogById(callId, {
        signal: closing.signal,
      })) as unknown as Record<string, unknown>;

    kit.onInput(
      async (input, send) => {
        const msg = input as AssetsMessage;
        const size = sizeOf(await kit.evaluate(msg, { value: config.size, type: config.sizeType }));
        const callId = callIdOf(msg);
        const { client } = kit.api();
        const readThisCall = callId ? () => readCall(callId) : undefined;
        const assets = assetsOf(msg) ?? callAssetsOf(await readThisCall!());
        if (assets.length === 0) {
          show({ fill: 'grey', shape: 'ring', text: t('status.none') });
          return;
        }
        const progress = (done: number) =>
          show({
            fill: 'blue',
            shape: 'ring',
            text: t('status.fetching', { done, count: assets.length }),
          });
        progress(0);
        const { sent, failed } = await delivery.deliver(
          { msg, assets, size, callId, client, readCall: readThisCall },
          send,
          progress,
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
      pending.keep(delivery.unfinished());
    });
  });
};

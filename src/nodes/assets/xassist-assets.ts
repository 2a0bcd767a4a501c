import type { NodeAPI, NodeDef } from 'node-red';
import { FETCHED, FetchedAssets } from '../../assets/fetched';
import { callAssetsOf } from '../../mapping/assets';
import { FieldError } from '../../mapping/field-error';
import { reportOf } from '../../node-red/report';
import { defineNode } from '../../node-red/skeleton';
import { Waits } from '../../node-red/waits';
import { portableCopy } from '../../node-red/message';
import { AssetDelivery } from './delivery';
import { PENDING_ASSETS, type PendingAssets } from './pending';
import { assetsOf, callIdOf, type AssetsMessage } from './inputs';
import { ASSETS_SCHEMA } from './schema';

interface AssetsConfig extends NodeDef {
  server?: string;
  size?: string;
  sizeType?: string;
  maxSize?: string | number;
  readyWait?: string | number;
}

const FETCHED_KEY = 'fetched';
const PENDING_KEY = 'pending';
/** a Catch's error does not go with a message kept for the next start */
const NOT_SAVED = new Set(['error']);
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

    // the assets a close interrupted: fetched at this start, for the messages that asked
    const pending = kit.state.load(PENDING_KEY, PENDING_ASSETS) ?? [];
    if (pending.length) {
      kit.state.save(PENDING_KEY, PENDING_ASSETS, []);
      setImmediate(() => {
        for (const kept of pending) {
          void deliverKept(kept).catch((err: unknown) => node.error(reportOf(err), kept.msg));
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
        const size = await sizeOf(msg);
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
      const left = delivery.unfinished();
      if (left.length) {
        kit.state.save(
          PENDING_KEY,
          PENDING_ASSETS,
          left.map(({ msg, assets, size, callId }) => ({
            msg: portableCopy(msg, NOT_SAVED),
            assets,
            size,
            callId,
          })),
        );
      }
    });
  });
};

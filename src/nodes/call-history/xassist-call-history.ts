import type { NodeAPI, NodeMessageInFlow } from 'node-red';
import { figuresOf, summaryOf } from '../../history/figures';
import { readHistory } from '../../history/reader';
import { FieldError } from '../../mapping/field-error';
import { defineNode } from '../../node-red/skeleton';
import { CALL_HISTORY_SCHEMA } from './schema';
import { historySettingsOf, queryOf, type CallHistoryConfig } from './settings';

type InputMessage = NodeMessageInFlow & { limit?: unknown; since?: unknown };

export = function register(RED: NodeAPI): void {
  defineNode<CallHistoryConfig>(RED, CALL_HISTORY_SCHEMA, (kit, config) => {
    const { node, t, show } = kit;
    const settings = historySettingsOf(config, kit);
    const closing = new AbortController();

    kit.onInput(
      async (input, send) => {
        const msg = input as InputMessage;
        const query = queryOf(settings, msg, Date.now());
        const { client } = kit.api();
        show({ fill: 'blue', shape: 'ring', text: t('status.reading', { pages: 0, calls: 0 }) });
        const read = await readHistory(
          (page, size, options) => client.getCallLogPage(page, size, options),
          query,
          {
            signal: closing.signal,
            onPage: (pages, calls) =>
              show({ fill: 'blue', shape: 'ring', text: t('status.reading', { pages, calls }) }),
          },
        );
        if (read.stoppedBy === 'page-limit') {
          node.warn(
            t('warn.page-limit', {
              pages: read.pages,
              size: settings.pageSize,
              calls: read.calls.length,
            }),
          );
        }
        const calls = read.calls.map(figuresOf);
        const summary = summaryOf(calls);
        msg.payload = { calls, summary, pages: read.pages, stoppedBy: read.stoppedBy };
        show({
          fill: read.stoppedBy === 'page-limit' ? 'yellow' : 'green',
          shape: 'dot',
          text: t('status.read', {
            calls: calls.length,
            share: Math.round(summary.joinedShare * 100),
          }),
        });
        send(msg);
      },
      {
        failed: (err) => ({
          fill: 'red',
          shape: 'ring',
          text: t(err instanceof FieldError ? 'status.invalid' : 'status.failed'),
        }),
      },
    );

    kit.onClose(() => closing.abort());
  });
};

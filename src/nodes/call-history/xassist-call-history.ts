import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import { figuresOf, summaryOf } from '../../history/figures';
import { readHistory, type HistoryQuery } from '../../history/reader';
import { FieldError } from '../../mapping/field-error';
import { reportOf } from '../../node-red/report';
import { useServer } from '../../node-red/server-user';
import { isEmpty, numberSetting, settingWarning } from '../../node-red/settings';
import { serverDate } from '../../xassist/dates';

interface CallHistoryConfig extends NodeDef {
  server?: string;
  /** calls at most; empty: msg.limit, else 100 */
  limit?: string | number;
  /** hours back; empty: msg.since, else no bound */
  hours?: string | number;
  pageSize?: string | number;
  maxPages?: string | number;
}

type InputMessage = NodeMessageInFlow & { limit?: unknown; since?: unknown };

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 100_000;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1_000;
const DEFAULT_MAX_PAGES = 100;

export = function register(RED: NodeAPI): void {
  function XAssistCallHistory(this: Node, config: CallHistoryConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const t = (key: string, subs?: Record<string, string | number>) =>
      RED._(`xassist-call-history.${key}`, subs);
    const { server, show } = useServer(RED, node, config.server);
    const warn = settingWarning(RED, node);
    const limitSetting = !isEmpty(config.limit)
      ? numberSetting(
          config.limit,
          {
            label: t('label.limit'),
            fallback: DEFAULT_LIMIT,
            min: 1,
            max: MAX_LIMIT,
            integer: true,
          },
          warn,
        )
      : undefined;
    const hoursSetting = !isEmpty(config.hours)
      ? numberSetting(config.hours, { label: t('label.hours'), fallback: 24, min: 0.001 }, warn)
      : undefined;
    const pageSize = numberSetting(
      config.pageSize,
      {
        label: t('label.pageSize'),
        fallback: DEFAULT_PAGE_SIZE,
        min: 1,
        max: MAX_PAGE_SIZE,
        integer: true,
      },
      warn,
    );
    const maxPages = numberSetting(
      config.maxPages,
      { label: t('label.maxPages'), fallback: DEFAULT_MAX_PAGES, min: 1, integer: true },
      warn,
    );
    const closing = new AbortController();

    /** The node's settings win; msg.limit and msg.since apply where a setting is empty. */
    function queryOf(msg: InputMessage): HistoryQuery {
      const limit = limitSetting ?? limitOf(msg.limit) ?? DEFAULT_LIMIT;
      const since =
        hoursSetting !== undefined ? Date.now() - hoursSetting * 3_600_000 : sinceOf(msg.since);
      return { limit, since, pageSize, maxPages };
    }

    async function handle(msg: InputMessage): Promise<void> {
      const query = queryOf(msg);
      const client = server?.client;
      if (!client) throw server?.configError ?? new Error(t('errors.no-server'));
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
          t('warn.page-limit', { pages: read.pages, size: pageSize, calls: read.calls.length }),
        );
      }
      const calls = read.calls.map(figuresOf);
      const summary = summaryOf(calls);
      msg.payload = { calls, summary, pages: read.pages, stoppedBy: read.stoppedBy };
      const share = Math.round(summary.joinedShare * 100);
      show({
        fill: read.stoppedBy === 'page-limit' ? 'yellow' : 'green',
        shape: 'dot',
        text: t('status.read', { calls: calls.length, share }),
      });
    }

    node.on('input', (msg, send, done) => {
      handle(msg as InputMessage).then(
        () => {
          send(msg);
          done();
        },
        (err: unknown) => {
          show({
            fill: 'red',
            shape: 'ring',
            text: t(err instanceof FieldError ? 'status.invalid' : 'status.failed'),
          });
          done(reportOf(err));
        },
      );
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      closing.abort();
      done();
    });
  }

  RED.nodes.registerType('xassist-call-history', XAssistCallHistory);
};

function limitOf(value: unknown): number | undefined {
  if (isEmpty(value)) return undefined;
  const limit = typeof value === 'string' ? Number(value) : value;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new FieldError('limit', `must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  return limit;
}

/** msg.since: epoch ms, an ISO date text, or a Date. */
function sinceOf(value: unknown): number | undefined {
  if (isEmpty(value)) return undefined;
  const since = serverDate(value);
  if (since === undefined) {
    throw new FieldError('since', 'must be a date: epoch milliseconds, an ISO text or a Date');
  }
  return since;
}

/**
 * Reading 10,000 calls of history, as the call-history node does: pages newest first, then each
 * call's figures and the summary. The simulator runs in a process of its own, seeded with the
 * calls, so that time and memory are this package's only.
 */
import { figuresOf, summaryOf } from '../src/history/figures';
import { readHistory } from '../src/history/reader';
import { XAssistClient } from '../src/xassist';
import { CONNECTOR } from '../test/support/simulator';
import { collectGarbage } from './support/process-usage';
import { startSimulatorProcess } from './support/simulator-process';

export interface HistoryBench {
  calls: number;
  pageSize: number;
  pages: number;
  readMs: number;
  figuresMs: number;
  heapMb: number;
  rssMb: number;
}

export async function benchHistory(
  calls = 10_000,
  pageSizes = [100, 1_000],
): Promise<HistoryBench[]> {
  const { child, url } = await startSimulatorProcess(['--history', String(calls)]);
  try {
    const results: HistoryBench[] = [];
    for (const pageSize of pageSizes) {
      const client = new XAssistClient({ url, ...CONNECTOR, timeoutMs: 60_000 });
      await client.getFilteredCallLogs(1); // logged in before the clock starts
      collectGarbage();
      const heapBefore = process.memoryUsage().heapUsed;
      const rssBefore = process.memoryUsage().rss;
      const started = performance.now();
      const read = await readHistory(
        (page, size, options) => client.getCallLogPage(page, size, options),
        {
          limit: calls,
          pageSize,
          maxPages: Math.ceil(calls / pageSize) + 1,
        },
      );
      const readAt = performance.now();
      const figures = read.calls.map(figuresOf);
      const summary = summaryOf(figures);
      const done = performance.now();
      const memory = process.memoryUsage();
      results.push({
        calls: summary.calls,
        pageSize,
        pages: read.pages,
        readMs: Math.round(readAt - started),
        figuresMs: Math.round(done - readAt),
        heapMb: Math.round(((memory.heapUsed - heapBefore) / 1e6) * 10) / 10,
        rssMb: Math.round(((memory.rss - rssBefore) / 1e6) * 10) / 10,
      });
      await client.close();
    }
    return results;
  } finally {
    child.kill();
  }
}

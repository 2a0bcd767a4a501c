/**
 * Fetching 100 assets of 2 MB from the simulator, as xassist-assets does (two at a time, each
 * checked against its checksum, claimed so that none is fetched twice, a message each), side by
 * side with the client's bare download loop at the same concurrency. Each Buffer is dropped once
 * counted, as a file node would write it: what is measured is the fetching's own time and
 * memory. The simulator runs in its own process.
 */
import { FetchedAssets } from '../src/assets/fetched';
import { callAssetsOf, type AssetRef } from '../src/mapping/assets';
import { XAssistClient } from '../src/xassist';
import { AssetDelivery } from '../src/nodes/assets/delivery';
import { CONNECTOR } from '../test/support/simulator';
import { collectGarbage } from './support/process-usage';
import { startSimulatorProcess } from './support/simulator-process';
import { median, round } from './support/stats';

const ASSETS = 100;
const BYTES = 2 * 1_048_576;
const AT_ONCE = 2;
const RUNS = 3;

export interface AssetsRow {
  name: string;
  assets: number;
  seconds: number;
  mbPerSecond: number;
  /** the largest growth of the heap (after a GC before) and of RSS during the run, MB */
  peakHeapMb: number;
  /** Buffers live outside the heap: the largest growth of their memory, MB */
  peakBuffersMb: number;
  peakRssMb: number;
}

export async function benchAssets(): Promise<{ rows: AssetsRow[]; ratio: Partial<AssetsRow> }> {
  const { child, url } = await startSimulatorProcess();
  const client = new XAssistClient({ url, ...CONNECTOR, timeoutMs: 60_000 });
  try {
    const assets = await sharedAssets(client, url);
    const runs: Record<string, AssetsRow[]> = { package: [], bare: [] };
    for (let run = 0; run < RUNS; run++) {
      runs.package.push(await measure('xassist-assets', () => viaPackage(client, assets)));
      runs.bare.push(await measure('bare download loop', () => viaClient(client, assets)));
    }
    const rows = Object.values(runs).map(medianRow);
    const [pkg, bare] = rows;
    return {
      rows,
      ratio: {
        seconds: round(pkg.seconds / bare.seconds, 2),
        mbPerSecond: round(pkg.mbPerSecond / bare.mbPerSecond, 2),
        peakHeapMb: round(pkg.peakHeapMb / Math.max(bare.peakHeapMb, 0.1), 2),
        peakBuffersMb: round(pkg.peakBuffersMb / Math.max(bare.peakBuffersMb, 0.1), 2),
        peakRssMb: round(pkg.peakRssMb / Math.max(bare.peakRssMb, 0.1), 2),
      },
    };
  } finally {
    await client.close();
    child.kill();
  }
}

/** A call with 100 assets of 2 MB shared in it, as the server lists them. */
async function sharedAssets(client: XAssistClient, url: string): Promise<AssetRef[]> {
  const call = await client.createCall({
    callTitle: 'bench',
    callType: 'SFU',
    invitedContacts: [{ userId: 'expert1' }],
  });
  const control = new URL('/_sim/', url);
  for (let index = 0; index < ASSETS; index++) {
    const answer = await fetch(new URL(`calls/${call.callId}/assets`, control), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ userId: 'expert1', name: `photo-${index}.jpg`, bytes: BYTES }),
    });
    if (!answer.ok) throw new Error(`sharing an asset: ${answer.status} ${await answer.text()}`);
  }
  const assets = callAssetsOf(
    (await client.getCallLogById(call.callId)) as unknown as Record<string, unknown>,
  );
  if (assets.length !== ASSETS) throw new Error(`${assets.length} assets, not ${ASSETS}`);
  return assets;
}

async function viaPackage(client: XAssistClient, assets: AssetRef[]): Promise<number> {
  let bytes = 0;
  const delivery = new AssetDelivery({
    fetched: new FetchedAssets({ load: () => [], save: () => undefined }, undefined, () => {}),
    maxBytes: 25 * 1_048_576,
    readyWaitMs: 0,
    signal: new AbortController().signal,
    wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    debug: () => undefined,
    failed: (err) => {
      throw err;
    },
  });
  await delivery.deliver(
    { msg: { _msgid: 'bench' }, assets, size: 'ORIGINAL', callId: 'bench', client },
    (msg) => (bytes += (msg.payload as Buffer).length),
    () => undefined,
  );
  return bytes;
}

async function viaClient(client: XAssistClient, assets: AssetRef[]): Promise<number> {
  let bytes = 0;
  let next = 0;
  const worker = async () => {
    while (next < assets.length) {
      const asset = assets[next++];
      const got = await client.downloadAsset(asset.uri, 'ORIGINAL', { maxBytes: 25 * 1_048_576 });
      bytes += got.bytes.length;
    }
  };
  await Promise.all(Array.from({ length: AT_ONCE }, worker));
  return bytes;
}

async function measure(name: string, run: () => Promise<number>): Promise<AssetsRow> {
  collectGarbage();
  const before = process.memoryUsage();
  let peakHeap = 0;
  let peakBuffers = 0;
  let peakRss = 0;
  const sample = () => {
    const { heapUsed, arrayBuffers, rss } = process.memoryUsage();
    peakHeap = Math.max(peakHeap, heapUsed - before.heapUsed);
    peakBuffers = Math.max(peakBuffers, arrayBuffers - before.arrayBuffers);
    peakRss = Math.max(peakRss, rss - before.rss);
  };
  const sampler = setInterval(sample, 10);
  const started = performance.now();
  const bytes = await run();
  const seconds = (performance.now() - started) / 1000;
  sample();
  clearInterval(sampler);
  if (bytes !== ASSETS * BYTES) throw new Error(`${name}: ${bytes} bytes, not ${ASSETS * BYTES}`);
  return {
    name,
    assets: ASSETS,
    seconds: round(seconds, 2),
    mbPerSecond: round(bytes / 1_048_576 / seconds),
    peakHeapMb: round(peakHeap / 1_048_576),
    peakBuffersMb: round(peakBuffers / 1_048_576),
    peakRssMb: round(peakRss / 1_048_576),
  };
}

function medianRow(rows: AssetsRow[]): AssetsRow {
  return {
    name: rows[0].name,
    assets: rows[0].assets,
    seconds: median(rows.map((row) => row.seconds)),
    mbPerSecond: median(rows.map((row) => row.mbPerSecond)),
    peakHeapMb: median(rows.map((row) => row.peakHeapMb)),
    peakBuffersMb: median(rows.map((row) => row.peakBuffersMb)),
    peakRssMb: median(rows.map((row) => row.peakRssMb)),
  };
}

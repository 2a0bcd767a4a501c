/**
 * One asset's bytes, as the server describes the asset: one still uploading is waited for
 * (its call read again) and fetched once ready, not half; a failure that may pass is tried
 * again for a while; the bytes of the ORIGINAL size are checked against the server's checksum.
 */
import { Retrier } from '../calls/retry';
import { callAssetsOf, isReady, type AssetRef } from '../mapping/assets';
import { XAssistError } from '../xassist/errors';
import type { XAssistClient } from '../xassist/api';
import { AssetError } from './asset-error';
import { checksumMatches } from './checksum';

export interface FetchedAsset {
  /** the asset as last read (its state once ready) */
  asset: AssetRef;
  bytes: Buffer;
  contentType: string;
}

export interface AssetFetchOptions {
  size: string;
  maxBytes: number;
  /** how long an asset still uploading is waited for */
  readyWaitMs: number;
  /** how long failures that may pass (an outage, a 429) are tried again */
  retryForMs: number;
  /** the asset's call, read again while the asset uploads; undefined: it cannot be */
  readCall?: () => Promise<Record<string, unknown>>;
  /** whether this server answered an asset download before: a 404 then means the asset is gone */
  endpointSeen: () => boolean;
  signal?: AbortSignal;
  /** resolves after `ms`; rejects when the node closes meanwhile */
  wait: (ms: number) => Promise<void>;
  now?: () => number;
}

/** how often the call is read again while an asset uploads */
const READY_POLL_MS = 2_000;

export async function fetchAsset(
  client: Pick<XAssistClient, 'downloadAsset'>,
  given: AssetRef,
  options: AssetFetchOptions,
): Promise<FetchedAsset> {
  const now = options.now ?? Date.now;
  const asset = await untilReady(given, options, now);
  const retrier = new Retrier(undefined, Math.random, now);
  let answer: Awaited<ReturnType<XAssistClient['downloadAsset']>>;
  try {
    answer = await retrier.run(
      () =>
        client.downloadAsset(asset.uri, options.size, {
          maxBytes: options.maxBytes,
          signal: options.signal,
        }),
      { until: now() + options.retryForMs, wait: options.wait },
    );
  } catch (err) {
    throw problemOf(err, asset, options);
  }
  if (options.size === 'ORIGINAL' && asset.checksum) {
    // a smaller size is a rendition of its own: the server's checksum is of the original
    const matches = checksumMatches(answer.bytes, asset.checksum);
    if (matches === false) {
      throw new AssetError(
        'ASSET_CHECKSUM',
        asset,
        `its ${answer.bytes.length} bytes do not match the server's checksum ${asset.checksum}`,
      );
    }
  }
  return {
    asset,
    bytes: answer.bytes,
    contentType: answer.contentType ?? 'application/octet-stream',
  };
}

/** The asset once the server says it is complete, or an AssetError once the wait is over. */
async function untilReady(
  asset: AssetRef,
  options: AssetFetchOptions,
  now: () => number,
): Promise<AssetRef> {
  if (isReady(asset)) return asset;
  const deadline = now() + options.readyWaitMs;
  let current = asset;
  while (options.readCall && now() < deadline) {
    await options.wait(Math.min(READY_POLL_MS, Math.max(deadline - now(), 0)));
    try {
      const call = await options.readCall();
      current = callAssetsOf(call).find((listed) => listed.uri === asset.uri) ?? current;
    } catch {
      // the call could not be read now: read again at the next poll, until the deadline
    }
    if (isReady(current)) return { ...asset, ...current };
  }
  throw new AssetError(
    'ASSET_NOT_READY',
    current,
    `still ${current.state} after ${Math.round(options.readyWaitMs / 1000)} s: not fetched half`,
  );
}

function problemOf(err: unknown, asset: AssetRef, options: AssetFetchOptions): Error {
  if (!(err instanceof XAssistError)) return err instanceof Error ? err : new Error(String(err));
  if (err.code === 'ASSET_TOO_LARGE') {
    return new AssetError(
      'ASSET_TOO_LARGE',
      asset,
      `larger than ${sizeText(options.maxBytes)}, the node's limit: not loaded`,
    );
  }
  if (err.status === 404) {
    return new AssetError(
      'ASSET_GONE',
      asset,
      options.endpointSeen()
        ? 'the server has it no longer (404)'
        : 'the server answered 404: the asset is gone, or this server has no asset download ' +
            '(npx xassist-check tells which)',
      404,
    );
  }
  if (err.status === 400) {
    return new AssetError(
      'ASSET_SIZE',
      asset,
      `the server refused size ${options.size} (400): npx xassist-check lists the sizes it answers`,
      400,
    );
  }
  return new AssetError('ASSET_FAILED', asset, err.message, err.status);
}

/** 25 MB, 1.5 MB, 10 KB */
function sizeText(bytes: number): string {
  if (bytes >= 1_048_576) return `${Math.round((bytes / 1_048_576) * 10) / 10} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

import { MAX_ORIGINAL_BYTES } from './asset-bytes';

/** How an asset is shared in a call, beyond who shares it: each has a default. */
export interface ShareOptions {
  /** its file name; `photo.jpg` by default */
  name?: string;
  /** `IMAGE` (the default), `VIDEO`, `DOCUMENT` or another type a server may have */
  type?: string;
  /** the length of its ORIGINAL; 2 MiB by default */
  bytes?: number;
  /** it is `UPLOADING` this long, then `READY`; 0 (the default): `READY` at once */
  readyAfterMs?: number;
  /** `wrong`: its checksum does not match its bytes */
  checksum?: 'wrong';
}

/** setTimeout's longest delay */
const MAX_DELAY_MS = 2 ** 31 - 1;

const CHECKS: Record<keyof ShareOptions, { accepts: (value: unknown) => boolean; say: string }> = {
  name: { accepts: (value) => typeof value === 'string' && value !== '', say: 'a file name' },
  type: {
    accepts: (value) => typeof value === 'string' && /^[A-Z][A-Z_]*$/.test(value),
    say: 'an asset type in capitals, such as IMAGE, VIDEO or DOCUMENT',
  },
  bytes: {
    accepts: (value) => wholeNumber(value) && value <= MAX_ORIGINAL_BYTES,
    say: `the length of the ORIGINAL, a whole number of bytes from 0 to ${MAX_ORIGINAL_BYTES}`,
  },
  readyAfterMs: {
    accepts: (value) => wholeNumber(value) && value <= MAX_DELAY_MS,
    say: 'the milliseconds until it is READY, a whole number, 0 for at once',
  },
  checksum: {
    accepts: (value) => value === 'wrong',
    say: '"wrong" (a checksum that does not match)',
  },
};

/**
 * `fields` (the control route's body without `userId`) as share options; throws, naming the
 * field and what it takes, on an unknown field or a wrong value. A null or absent field is
 * its default.
 */
export function shareOptionsOf(fields: Record<string, unknown>): ShareOptions {
  const options: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (!isOption(field)) {
      throw new Error(`unknown field '${field}': one of userId, ${Object.keys(CHECKS).join(', ')}`);
    }
    if (value === undefined || value === null) continue;
    if (!CHECKS[field].accepts(value)) throw new Error(`${field}: ${CHECKS[field].say}`);
    options[field] = value;
  }
  return options as ShareOptions;
}

function isOption(field: string): field is keyof ShareOptions {
  return Object.prototype.hasOwnProperty.call(CHECKS, field);
}

function wholeNumber(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}

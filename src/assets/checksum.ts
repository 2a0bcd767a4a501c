/**
 * Whether bytes match the checksum a server gives for an asset. Its algorithm is not told
 * (public code shows only a `checksum` field): it is read from the text's form, hex or base64
 * of an MD5, SHA-1 or SHA-256 digest, with an optional `sha256:` prefix.
 */
import { createHash } from 'node:crypto';

const BY_BYTES: Record<number, string> = { 16: 'md5', 20: 'sha1', 32: 'sha256' };

/** true or false; undefined when the checksum has a form no digest here has */
export function checksumMatches(bytes: Buffer, checksum: string): boolean | undefined {
  const [prefix, value] = /^[a-z0-9-]+:/i.test(checksum)
    ? [
        checksum.slice(0, checksum.indexOf(':')).replace('-', '').toLowerCase(),
        checksum.slice(checksum.indexOf(':') + 1),
      ]
    : [undefined, checksum];
  const digest = digestOf(value.trim());
  if (!digest) return undefined;
  const algorithm =
    prefix && Object.values(BY_BYTES).includes(prefix) ? prefix : BY_BYTES[digest.length];
  if (!algorithm || BY_BYTES[digest.length] !== algorithm) return undefined;
  return createHash(algorithm).update(bytes).digest().equals(digest);
}

function digestOf(text: string): Buffer | undefined {
  if (/^[0-9a-f]+$/i.test(text) && text.length % 2 === 0 && BY_BYTES[text.length / 2]) {
    return Buffer.from(text, 'hex');
  }
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (BY_BYTES[bytes.length]) return bytes;
  }
  return undefined;
}

import { createHash } from 'node:crypto';
import should from 'should';
import { checksumMatches } from '../../src/assets/checksum';
import { assetOf, callAssetsOf, isReady } from '../../src/mapping/assets';

describe('an asset checksum, in whatever form the server writes it', function () {
  const bytes = Buffer.from('xassist asset bytes');
  const digest = (algorithm: string) => createHash(algorithm).update(bytes).digest();

  it('matches a SHA-256, SHA-1 or MD5 digest in hex or base64, with or without a prefix', function () {
    for (const algorithm of ['sha256', 'sha1', 'md5']) {
      should(checksumMatches(bytes, digest(algorithm).toString('hex'))).be.true();
      should(checksumMatches(bytes, digest(algorithm).toString('hex').toUpperCase())).be.true();
      should(checksumMatches(bytes, digest(algorithm).toString('base64'))).be.true();
      should(checksumMatches(bytes, digest(algorithm).toString('base64url'))).be.true();
    }
    should(checksumMatches(bytes, `sha256:${digest('sha256').toString('hex')}`)).be.true();
    should(checksumMatches(bytes, `SHA-256:${digest('sha256').toString('hex')}`)).be.true();
  });

  it('tells a mismatch, and says nothing of a form no digest has', function () {
    should(checksumMatches(Buffer.from('other'), digest('sha256').toString('hex'))).be.false();
    // half the bytes: what an upload in progress gives
    should(checksumMatches(bytes.subarray(0, 8), digest('md5').toString('hex'))).be.false();
    should(checksumMatches(bytes, 'v1')).be.undefined();
    should(checksumMatches(bytes, 'crc32:1a2b3c4d')).be.undefined();
  });
});

describe('an asset as a message gives it', function () {
  it('takes what the server gives, its date as ISO text, a name from its uri if none', function () {
    should(
      assetOf({ id: 7, uri: 'asset://a/photo.jpg', type: 'IMAGE', createdAt: 1_764_576_000_000 }),
    ).eql({
      id: '7',
      name: 'photo.jpg',
      type: 'IMAGE',
      uri: 'asset://a/photo.jpg',
      state: null,
      createdAt: '2025-12-01T08:00:00.000Z',
    });
    should(assetOf({ name: 'x' })).be.undefined();
    should(assetOf(undefined, 'asset://b')).have.properties({ id: 'asset://b', name: 'b' });
  });

  it('lists a call once per uri, its assets[] over what its events shared', function () {
    const call = {
      assets: [{ id: '1', uri: 'u1', state: 'READY' }],
      events: [
        { type: 'AssetShared', assetUri: 'u1', asset: { id: '1', uri: 'u1', state: 'UPLOADING' } },
        { type: 'AssetShared', assetUri: 'u2' },
        { type: 'Join' },
      ],
    };
    should(callAssetsOf(call).map((asset) => [asset.uri, asset.state])).eql([
      ['u1', 'READY'],
      ['u2', null],
    ]);
    should(isReady({ state: 'UPLOADING' })).be.false();
    should(isReady({ state: 'ready' })).be.true();
    should(isReady({ state: null })).be.true();
  });
});

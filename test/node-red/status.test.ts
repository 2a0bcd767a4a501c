import should from 'should';
import { readFailedStatus } from '../../src/node-red/status';
import { XAssistError, type XAssistErrorKind } from '../../src/xassist';

const t = (key: string) => key;
const error = (kind: XAssistErrorKind, status?: number) =>
  new XAssistError(kind, 'failed', { status, mayHaveReachedServer: true });

describe('the status of a node whose reads fail', function () {
  it('waits (yellow) for what may pass: the server down, slow or busy', function () {
    for (const err of [
      error('network'),
      error('timeout'),
      error('unavailable'),
      error('http', 503),
      error('http', 429),
    ]) {
      should(readFailedStatus(err, 2_000, t)).match({ fill: 'yellow', text: 'status.retrying' });
    }
  });

  it('asks for a person (red) for settings, credentials, the URL, a certificate, a permission', function () {
    for (const err of [
      error('config'),
      error('auth'),
      error('not-xassist', 404),
      error('tls'),
      error('forbidden', 403),
      new Error('no server'),
    ]) {
      should(readFailedStatus(err, 2_000, t)).match({ fill: 'red', text: 'status.error' });
    }
  });
});

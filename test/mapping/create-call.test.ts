import should from 'should';
import { normaliseCallLog } from '../../src/mapping/call-log';
import { mergeFields, validateCall } from '../../src/mapping/create-call';
import { migrate } from '../../src/node-red/migrations';
import { CREATE_CALL_MIGRATIONS } from '../../src/nodes/create-call/migrations';

describe('createCall mapping', function () {
  describe('mergeFields: which value wins', function () {
    it('takes a payload field over the setting, and the setting when the payload has none', function () {
      should(
        mergeFields({ callTitle: 'payload' }, { callTitle: 'setting', callReason: 'STANDARD' }),
      ).eql({
        callTitle: 'payload',
        callReason: 'STANDARD',
      });
    });

    it('treats undefined, and null where null means nothing, as not given', function () {
      should(
        mergeFields({ callTitle: undefined, callType: null }, { callTitle: 's', callType: 'SFU' }),
      ).eql({
        callTitle: 's',
        callType: 'SFU',
      });
    });

    it('sends null for creatorUser and plannedDateTime when the payload says null', function () {
      should(mergeFields({ creatorUser: null, plannedDateTime: null }, { creatorUser: 12 })).eql({
        creatorUser: null,
        plannedDateTime: null,
      });
    });

    it('ignores keys that are not createCall fields, inherited ones and __proto__', function () {
      const payload = JSON.parse(
        '{"__proto__": {"callTitle": "polluted"}, "machine": 7, "constructor": 1}',
      );
      const inherited = Object.create({ callTitle: 'inherited' });
      should(mergeFields(payload, {})).eql({});
      should(mergeFields(inherited, {})).eql({});
      should(({} as Record<string, unknown>).callTitle).be.undefined();
    });

    it('ignores a payload that is not a plain object', function () {
      for (const payload of [
        'text',
        42,
        ['callTitle'],
        Buffer.from('{}'),
        new Date(),
        null,
        undefined,
      ]) {
        should(mergeFields(payload, { callTitle: 's' })).eql({ callTitle: 's' });
      }
    });
  });

  describe('validateCall', function () {
    it('defaults callType to SFU, accepts any case, and wraps a single invitee', function () {
      should(validateCall({ invitedContacts: 'expert1' })).eql({
        invitedContacts: ['expert1'],
        callType: 'SFU',
      });
      should(
        validateCall({ invitedContacts: ['a'], callType: 'mesh', callReason: ' service_request ' }),
      ).containEql({
        callType: 'MESH',
        callReason: 'SERVICE_REQUEST',
      });
    });

    it('takes team ids and team objects', function () {
      should(validateCall({ invitedTeams: [3, { name: 'Experts' }] }).invitedTeams).eql([
        { id: 3 },
        { name: 'Experts' },
      ]);
    });

    it('refuses names that cannot be looked up, and dates a Date cannot hold', function () {
      should(() => validateCall({ invitedContacts: ['x'.repeat(255)] })).throw(
        'invitedContacts[0]: must be a login name or an email of at most 254 characters',
      );
      should(() => validateCall({ invitedContacts: ['bad\uD800name'] })).throw(
        /^invitedContacts\[0\]: must be a login name or an email/,
      );
      should(() => validateCall({ invitedContacts: [{ userId: 'y'.repeat(300) }] })).throw(
        /^invitedContacts\[0\]: must be a login name/,
      );
      should(() => validateCall({ invitedContacts: ['a'], creatorUser: 'z'.repeat(300) })).throw(
        /^creatorUser: must be a login name/,
      );
      should(() => validateCall({ invitedContacts: ['a'], plannedDateTime: 1e308 })).throw(
        /^plannedDateTime: must be a date/,
      );
    });

    it('bounds what it accepts', function () {
      should(() => validateCall({ invitedContacts: ['a'], callTitle: 'x'.repeat(1001) })).throw(
        'callTitle: must be at most 1000 characters',
      );
      should(() => validateCall({ invitedContacts: Array(501).fill('a') })).throw(
        'invitedContacts: must list at most 500 invitees',
      );
    });
  });

  it('normaliseCallLog gives both spellings and keeps unknown fields', function () {
    should(normaliseCallLog({ callId: 'c', anonymousJoinAllowed: true, title: 'T', extra: 1 })).eql(
      {
        callId: 'c',
        anonymousJoinAllow: true,
        anonymousJoinAllowed: true,
        title: 'T',
        callTitle: 'T',
        extra: 1,
      },
    );
  });

  it('normaliseCallLog gives each date the server gave as ISO text beside its own value', function () {
    const start = '2026-12-01T08:00:00.000Z';
    const ms = Date.parse(start);
    const iso = normaliseCallLog({ callId: 'c', callStart: start, callEnd: null });
    should(iso).eql({
      callId: 'c',
      callStart: start,
      callStartIso: start,
      callEnd: null,
      callEndIso: null,
    });
    const epoch = normaliseCallLog({ callId: 'c', callStart: ms, callEnd: ms + 60_000 });
    should(epoch).match({
      callStart: ms,
      callStartIso: start,
      callEndIso: '2026-12-01T08:01:00.000Z',
    });
    should(normaliseCallLog({ callId: 'c', callStart: '2026-12-01T09:00:00+01:00' })).match({
      callStartIso: start,
    });
    should(normaliseCallLog({ callId: 'c', plannedDateTime: String(ms) })).match({
      plannedDateTime: String(ms),
      plannedDateTimeIso: start,
    });
    should(normaliseCallLog({ callId: 'c', callStart: 'soon' })).match({
      callStart: 'soon',
      callStartIso: null,
    });
    // the call's events are the server's, as they came
    const events = [{ id: 1, type: 'Created', time: ms }];
    should(normaliseCallLog({ callId: 'c', callEvents: events }).callEvents).equal(events);
  });
});

describe('settings migrations', function () {
  it('turns version-0 invitees (text, or a list of texts) into typed inputs, once', function () {
    should(migrate({ invitees: 'expert1, expert2@example.com ,' }, CREATE_CALL_MIGRATIONS)).eql({
      invitees: [
        { v: 'expert1', vt: 'str' },
        { v: 'expert2@example.com', vt: 'str' },
      ],
      version: 1,
    });
    should(
      migrate({ invitees: ['tester', { v: 'onDuty', vt: 'msg' }] }, CREATE_CALL_MIGRATIONS),
    ).eql({
      invitees: [
        { v: 'tester', vt: 'str' },
        { v: 'onDuty', vt: 'msg' },
      ],
      version: 1,
    });
    const current = { invitees: [{ v: 'expert1', vt: 'str' }], version: 1 };
    should(migrate(current, CREATE_CALL_MIGRATIONS)).eql(current);
  });
});

import { COMMON, defineSchema, type OwnType } from '../../schema/fields';
import { MAX_WAIT_S } from '../../schema/limits';

export const DEFAULT_DEDUP_WINDOW_S = 600;
/** also for flows saved before the setting existed */
export const DEFAULT_KEEP_TRYING_S = 60;
/** the settings' version a dialog saves; the runtime migrates older ones (migrations.ts) */
export const CREATE_CALL_VERSION = 1;

/** A planned start as the editor takes it: an ISO date and time. */
function isPlannedDateTime(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) && !isNaN(Date.parse(text));
}

/**
 * True, false, or not set (the server's default). Node-RED's own bool type has no empty choice:
 * it shows `true` for an empty value, and a dialog's Done saved it so; nodes saved with it keep it.
 */
const TRUE_FALSE_OR_UNSET: OwnType = {
  value: 'yesno',
  label: 'true/false',
  icon: 'fa fa-toggle-on',
  options: [{ value: '', label: '–' }, 'true', 'false'],
};

export const CREATE_CALL_SCHEMA = defineSchema({
  type: 'xassist-create-call',
  look: { category: 'xAssist', color: '#8EC5EF', icon: 'xassist-call.svg', inputs: 1, outputs: 1 },
  fields: {
    name: COMMON.name,
    // 0 until the dialog saves the settings as the latest; the runtime migrates whatever is
    // older, so an imported or untouched node keeps working
    version: { kind: 'hidden', default: 0 },
    server: COMMON.server,
    callTitle: COMMON.callTitle,
    callReason: {
      kind: 'typed',
      default: '',
      defaultType: 'reason',
      types: [
        {
          value: 'reason',
          label: 'reason',
          icon: 'fa fa-list',
          options: [{ value: '', label: '–' }, 'STANDARD', 'SERVICE_REQUEST'],
        },
      ],
      icon: 'question-circle',
    },
    callType: {
      kind: 'typed',
      default: '',
      defaultType: 'calltype',
      types: [
        {
          value: 'calltype',
          label: 'type',
          icon: 'fa fa-list',
          options: [{ value: '', label: '–' }, 'SFU', 'MESH'],
        },
      ],
      icon: 'random',
    },
    // one typedInput each: a login name, an email, a level of a duty schedule, or a
    // msg/flow/global/env/JSONata source
    invitees: { kind: 'list', default: [], icon: 'users' },
    // leave out invitees the server reports offline, unless all of them are
    presence: { kind: 'flag', default: false },
    invitedTeams: {
      kind: 'typed',
      default: '',
      defaultType: 'json',
      types: ['json'],
      icon: 'sitemap',
    },
    joinAnonymousAllowed: {
      kind: 'typed',
      default: '',
      defaultType: 'yesno',
      types: [TRUE_FALSE_OR_UNSET, 'bool'],
      emptyType: 'yesno',
      icon: 'user-secret',
    },
    informOthersDirectly: {
      kind: 'typed',
      default: '',
      defaultType: 'yesno',
      types: [TRUE_FALSE_OR_UNSET, 'bool'],
      emptyType: 'yesno',
      icon: 'bell',
    },
    creatorUser: COMMON.creatorUser,
    plannedDateTime: {
      kind: 'typed',
      default: '',
      defaultType: 'str',
      types: ['str'],
      checkText: isPlannedDateTime,
      icon: 'calendar',
      placeholder: true,
    },
    dedupKey: COMMON.dedupKey,
    dedupWindow: {
      kind: 'number',
      default: DEFAULT_DEDUP_WINDOW_S,
      min: 0,
      max: MAX_WAIT_S,
      icon: 'clock-o',
      unit: 'seconds',
    },
    // seconds a failure that may pass is tried again before it is reported
    keepTrying: {
      kind: 'number',
      default: DEFAULT_KEEP_TRYING_S,
      min: 0,
      max: MAX_WAIT_S,
      icon: 'repeat',
      unit: 'seconds',
    },
    property: COMMON.property,
    // send failures to a second output instead of to Catch nodes
    errorOutput: { kind: 'flag', default: false },
    outputs: { kind: 'hidden', default: 1 },
  },
  form: [
    'server',
    'callTitle',
    'invitees',
    'presence',
    'callType',
    'callReason',
    'invitedTeams',
    'joinAnonymousAllowed',
    'informOthersDirectly',
    'creatorUser',
    'plannedDateTime',
    'dedupKey',
    'dedupWindow',
    'keepTrying',
    'property',
    'errorOutput',
    'name',
  ],
});

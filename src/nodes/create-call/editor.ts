import { dutyRowsCheck } from '../../editor/duty-rows';
import { inviteeList } from '../../editor/invitees';
import type { Entry } from '../../editor/lists';
import type { EditorNode } from '../../editor/node';
import { registerEditor } from '../../editor/registry';
import { migrate } from '../../node-red/migrations';
import { CREATE_CALL_MIGRATIONS } from './migrations';
import { CREATE_CALL_SCHEMA, CREATE_CALL_VERSION } from './schema';

/** The invitees as the runtime reads them: settings of version 0 gave texts. */
function inviteesOf(node: EditorNode): Entry[] {
  const { invitees } = migrate(
    { version: node.version, invitees: node.invitees },
    CREATE_CALL_MIGRATIONS,
  );
  return (Array.isArray(invitees) ? invitees : []).filter((entry: Entry) => entry && entry.v);
}

registerEditor(CREATE_CALL_SCHEMA, {
  label(node) {
    const first = inviteesOf(node).find((entry) => entry.vt === 'str');
    return first
      ? node._('xassist-create-call.label.call', { to: `'${first.v}'` })
      : node._('xassist-create-call.label.palette');
  },
  outputs: ['output-call', 'output-failure'],
  entries: { invitees: inviteesOf },
  lists: { invitees: inviteeList('xassist-create-call.placeholder.invitee') },
  checks: { invitees: dutyRowsCheck('invitees') },
  save(node) {
    node.version = CREATE_CALL_VERSION;
    node.outputs = $('#node-input-errorOutput').prop('checked') ? 2 : 1;
  },
});

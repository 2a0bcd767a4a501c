import { registerEditor } from '../../editor/registry';
import { CALL_HISTORY_SCHEMA } from './schema';

registerEditor(CALL_HISTORY_SCHEMA, {
  label: (node) => node._('xassist-call-history.label.node'),
  outputs: ['output'],
});

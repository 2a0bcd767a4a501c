import { registerEditor } from '../../editor/registry';
import { CALL_STATUS_SCHEMA } from './schema';

registerEditor(CALL_STATUS_SCHEMA, {
  label: (node) => node._('xassist-call-status.label.node'),
  outputs: ['output-event', 'output-joined', 'output-no-join', 'output-ended'],
});

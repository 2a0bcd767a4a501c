import { registerEditor } from '../../editor/registry';
import { serverCheck } from '../../editor/server-check';
import { SERVER_SCHEMA } from './schema';

registerEditor(SERVER_SCHEMA, {
  label: (node) => (node.url as string) || node._('xassist-server.label.node'),
  slots: { check: serverCheck },
});

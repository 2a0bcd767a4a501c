import { registerEditor } from '../../editor/registry';
import { DUTY_SCHEMA } from './schema';

registerEditor(DUTY_SCHEMA, {
  label(node) {
    const schedule = typeof node.schedule === 'string' ? RED.nodes.node(node.schedule) : null;
    const name = (schedule as { name?: string } | null)?.name;
    return name
      ? node._('xassist-duty.label.of', { schedule: name })
      : node._('xassist-duty.label.palette');
  },
  outputs: ['output'],
});

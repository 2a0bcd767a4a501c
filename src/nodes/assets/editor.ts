import { registerEditor } from '../../editor/registry';
import { ASSETS_SCHEMA } from './schema';

registerEditor(ASSETS_SCHEMA, {
  label: (node) => node._('xassist-assets.label.node'),
  outputs: ['output'],
});

import { ASSET_SIZES } from '../../xassist/types';
import { COMMON, defineSchema } from '../../schema/fields';

/** an asset larger than this (MB) is reported rather than loaded, unless the node says more */
export const DEFAULT_MAX_MB = 25;
export const MAX_MB = 2_048;
/** seconds an asset still uploading is waited for before it is reported */
export const DEFAULT_READY_WAIT_S = 120;

export const ASSETS_SCHEMA = defineSchema({
  type: 'xassist-assets',
  look: {
    category: 'xAssist',
    color: '#8EC5EF',
    icon: 'xassist-assets.svg',
    inputs: 1,
    outputs: 1,
  },
  fields: {
    name: COMMON.name,
    server: COMMON.server,
    // the size variant the server is asked for: SMALL is what public integrations use
    size: {
      kind: 'typed',
      default: 'SMALL',
      defaultType: 'assetsize',
      types: [
        {
          value: 'assetsize',
          label: 'size',
          icon: 'fa fa-picture-o',
          options: [...ASSET_SIZES],
        },
      ],
      icon: 'picture-o',
    },
    // MB: a larger asset is reported, not loaded
    maxSize: {
      kind: 'number',
      default: DEFAULT_MAX_MB,
      required: true,
      above: 0,
      max: MAX_MB,
      icon: 'database',
      width: '100px',
      unit: 'megabytes',
    },
    // seconds an asset still uploading is waited for
    readyWait: {
      kind: 'number',
      default: DEFAULT_READY_WAIT_S,
      required: true,
      min: 0,
      max: 3_600,
      icon: 'hourglass-half',
      width: '100px',
      unit: 'seconds',
    },
  },
  form: ['server', 'size', 'maxSize', 'readyWait', 'name'],
});

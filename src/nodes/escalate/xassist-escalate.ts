import type { NodeAPI } from 'node-red';
import { FieldError } from '../../mapping/field-error';
import { defineNode } from '../../node-red/skeleton';
import { ESCALATE_SCHEMA } from './schema';
import { EscalateController, type InputMessage } from './controller';
import { escalateSettingsOf, type EscalateConfig } from './settings';

export = function register(RED: NodeAPI): void {
  defineNode<EscalateConfig>(RED, ESCALATE_SCHEMA, (kit, config) => {
    const controller = new EscalateController(kit, escalateSettingsOf(config, kit));
    controller.start();
    kit.onInput((msg) => controller.input(msg as InputMessage), {
      failed: (err) => ({
        fill: 'red',
        shape: 'ring',
        text: kit.t(`status.${err instanceof FieldError ? 'invalid' : 'failed'}`),
      }),
    });
    kit.onClose(() => controller.close());
  });
};

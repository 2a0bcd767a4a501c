import type { NodeAPI } from 'node-red';
import { defineNode } from '../../node-red/skeleton';
import { CALL_STATUS_SCHEMA } from './schema';
import { CallStatusController } from './controller';
import type { InputMessage } from './messages';
import { callStatusSettingsOf, type CallStatusConfig } from './settings';

export = function register(RED: NodeAPI): void {
  defineNode<CallStatusConfig>(RED, CALL_STATUS_SCHEMA, (kit, config) => {
    const controller = new CallStatusController(kit, callStatusSettingsOf(config, kit));
    controller.start();
    // messages take effect in the order they came: a stop after a follow stops that follow
    kit.onInput((msg) => controller.input(msg as InputMessage), {
      ordered: true,
      failed: () => ({ fill: 'red', shape: 'ring', text: kit.t('status.invalid') }),
    });
    kit.onClose(() => controller.close());
  });
};

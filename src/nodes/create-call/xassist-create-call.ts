import type { NodeAPI } from 'node-red';
import { migrate } from '../../node-red/migrations';
import { defineNode } from '../../node-red/skeleton';
import { CREATE_CALL_SCHEMA } from './schema';
import { CreateCallController, type CallMessage } from './controller';
import { CREATE_CALL_MIGRATIONS } from './migrations';
import { createCallSettingsOf, type CreateCallConfig } from './settings';

export = function register(RED: NodeAPI): void {
  defineNode<CreateCallConfig>(RED, CREATE_CALL_SCHEMA, (kit, saved) => {
    const settings = createCallSettingsOf(migrate(saved, CREATE_CALL_MIGRATIONS), kit);
    const controller = new CreateCallController(kit, settings);
    // the status of a failure is the controller's: it knows of the alarms still waiting
    kit.onInput((msg, send) => controller.input(msg as CallMessage, send), {});
    controller.resumeSaved();
    kit.onClose(() => controller.close());
  });
};

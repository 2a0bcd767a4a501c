import type { Node, NodeAPI, NodeDef } from 'node-red';
import { useServer } from './node-red/server-user';

interface CallStatusConfig extends NodeDef {
  server?: string;
}

// A placeholder until the call-status issue: it shows the server's connection state.
export = function register(RED: NodeAPI): void {
  function XAssistCallStatus(this: Node, config: CallStatusConfig): void {
    RED.nodes.createNode(this, config);
    useServer(RED, this, config.server);
    this.on('input', (_msg, _send, done) => {
      done(new Error(RED._('xassist-call-status.errors.not-implemented')));
    });
  }
  RED.nodes.registerType('xassist-call-status', XAssistCallStatus);
};

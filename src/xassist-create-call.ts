import type { Node, NodeAPI, NodeDef } from 'node-red';
import { useServer } from './node-red/server-user';

interface CreateCallConfig extends NodeDef {
  server?: string;
}

// A placeholder until the create-call issue: it shows the server's connection state.
export = function register(RED: NodeAPI): void {
  function XAssistCreateCall(this: Node, config: CreateCallConfig): void {
    RED.nodes.createNode(this, config);
    useServer(RED, this, config.server);
    this.on('input', (_msg, _send, done) => {
      done(new Error(RED._('xassist-create-call.errors.not-implemented')));
    });
  }
  RED.nodes.registerType('xassist-create-call', XAssistCreateCall);
};

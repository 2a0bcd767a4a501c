import type { Node } from 'node-red';
import type { Simulator, SimulatorOptions } from '../../src/sim';
import { Answers } from './answers';
import { Capture } from './capture';
import {
  callStatusNode,
  CREATE_AND_FOLLOW_OUTPUTS,
  createAndFollowFlow,
  createCallNode,
  helper,
  loadFlow,
  oneNodeFlow,
  serverNode,
  unloadAndCheckSecrets,
} from './node-red';
import { Outputs } from './outputs';
import { CONNECTOR, startSimulator } from './simulator';

/**
 * What a node test runs on, new for each test: the simulator, a Capture of what a user could
 * see, and Answers for who joins its calls. start() it in beforeEach and end() it in afterEach,
 * which unloads the flow and checks that nothing captured holds a secret.
 */
export class NodeTestBed {
  sim!: Simulator;
  capture!: Capture;
  answers!: Answers;

  async start(options?: SimulatorOptions): Promise<void> {
    this.sim = await startSimulator(options);
    this.capture = new Capture();
    this.answers = new Answers(this.sim);
  }

  /** Closes the simulator and starts another with `options`, and its Answers, in its place. */
  async restartSimulator(options: SimulatorOptions): Promise<Simulator> {
    this.answers.stop();
    await this.sim.close();
    this.sim = await startSimulator(options);
    this.answers = new Answers(this.sim);
    return this.sim;
  }

  /** Stops the answers, then unloadAndCheckSecrets with the statuses of `nodeIds`. */
  async end(nodeIds: string[]): Promise<void> {
    this.answers.stop();
    await unloadAndCheckSecrets(this.sim, this.capture, nodeIds);
  }

  /**
   * Loads oneNodeFlow of `node` with `modules`, its server logged in as the connector unless
   * `credentials` says otherwise; resolves with the node and what its outputs `ports` and the
   * Catch node's `caught` receive.
   */
  async load<Msg>(
    modules: unknown[],
    node: { id: string; type: string; [setting: string]: unknown },
    ports: readonly string[],
    options: {
      serverUrl?: string;
      server?: Record<string, unknown>;
      credentials?: Record<string, string>;
      /** other nodes of the flow, such as config nodes the node names */
      others?: Array<{ id: string; type: string; [setting: string]: unknown }>;
    } = {},
  ): Promise<{ node: Node; outputs: Outputs<Msg> }> {
    const flow = [
      ...oneNodeFlow(options.serverUrl ?? this.sim.tenantUrl, node, ports, options.server),
      ...(options.others ?? []),
    ];
    await loadFlow(modules, flow, {
      server: options.credentials ?? {
        username: CONNECTOR.username,
        password: CONNECTOR.password,
      },
    });
    return {
      node: helper.getNode(node.id) as Node,
      outputs: new Outputs<Msg>([...ports, 'caught'], this.capture),
    };
  }

  /** Loads createAndFollowFlow, logged in as the connector; resolves with what comes out. */
  async loadCreateAndFollow<Msg>(
    options: Parameters<typeof createAndFollowFlow>[1],
  ): Promise<Outputs<Msg>> {
    await loadFlow(
      [serverNode, createCallNode, callStatusNode],
      createAndFollowFlow(this.sim, options),
      { server: { ...CONNECTOR } },
    );
    return new Outputs<Msg>(CREATE_AND_FOLLOW_OUTPUTS, this.capture);
  }
}

import type { Simulator, SimulatorOptions } from '../../src/sim';
import type { FlowNode } from './node-red';
import { Collector, freePort, NodeRedProcess, UserDir } from './node-red-process';
import { CONNECTOR, startSimulator } from './simulator';

type Settings = Parameters<UserDir['write']>[3];

/**
 * What an end-to-end test of one Node-RED runs on: the simulator, a Collector for what the
 * flows post, and a Node-RED process in a user directory of its own. start() it in `before`
 * and close() it in `after`: close() ends whatever start() got to.
 */
export class NodeRedRig {
  sim!: Simulator;
  collector!: Collector;
  userDir!: UserDir;
  nodeRed!: NodeRedProcess;

  async start(options: {
    /** the flows to run, given the simulator's tenant URL and the collector */
    flows: (serverUrl: string, collector: Collector) => FlowNode[];
    /** by default, the connector's username and password for the config node `server` */
    credentials?: Record<string, Record<string, string>>;
    simulator?: SimulatorOptions;
    /** the context store's flush interval, more code in settings.js (given the simulator) */
    settings?: Settings | ((sim: Simulator) => Settings);
    /** how NodeRedProcess runs Node-RED */
    process?: ConstructorParameters<typeof NodeRedProcess>[1];
    /** for what the user directory needs before Node-RED starts, e.g. a linked package */
    prepare?: (userDir: UserDir) => void;
    /** false: the test starts Node-RED itself */
    startNodeRed?: boolean;
  }): Promise<void> {
    this.sim = await startSimulator(options.simulator);
    this.collector = new Collector();
    await this.collector.start();
    this.userDir = new UserDir();
    options.prepare?.(this.userDir);
    this.userDir.write(
      options.flows(this.sim.tenantUrl, this.collector),
      options.credentials ?? {
        server: { username: CONNECTOR.username, password: CONNECTOR.password },
      },
      await freePort(),
      typeof options.settings === 'function' ? options.settings(this.sim) : options.settings,
    );
    this.nodeRed = new NodeRedProcess(this.userDir, options.process);
    if (options.startNodeRed !== false) await this.nodeRed.start();
  }

  async close(): Promise<void> {
    await this.nodeRed?.stop();
    await this.collector?.close();
    await this.sim?.close();
    this.userDir?.remove();
  }
}

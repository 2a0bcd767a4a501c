import should from 'should';
import type { Simulator } from '../../src/sim';
import { XAssistClient, type ClientOptions, type ServerSettings } from '../../src/xassist';
import { Capture } from './capture';
import { CONNECTOR } from './simulator';

/**
 * Makes clients for the connector account of a test's simulator, records what they log, and
 * after the test closes them all and checks that nothing they showed holds a secret.
 */
export class TestClients {
  capture = new Capture();
  private made: XAssistClient[] = [];

  constructor(private readonly simulator: () => Simulator) {}

  create(settings: Partial<ServerSettings> = {}, options: ClientOptions = {}): XAssistClient {
    const client = new XAssistClient(
      { url: this.simulator().tenantUrl, ...CONNECTOR, ...settings },
      { log: this.capture.log, ...options },
    );
    this.made.push(client);
    return client;
  }

  /** A client that has logged in and listed users, whose access token the server then revoked. */
  async withRevokedToken(): Promise<XAssistClient> {
    const client = this.create();
    await client.listUsers();
    this.simulator().tokens.revokeAccess();
    return client;
  }

  async closeAndCheckSecrets(): Promise<void> {
    await Promise.all(this.made.splice(0).map((client) => client.close()));
    const sim = this.simulator();
    await sim.close();
    should(this.capture.leaks([CONNECTOR.password, ...sim.tokens.issued])).be.empty();
    this.capture = new Capture();
  }
}

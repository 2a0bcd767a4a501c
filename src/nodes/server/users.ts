import type { Node, NodeStatus } from 'node-red';

/**
 * The nodes that use a server, each told of the server's problem: the xAssist connection's,
 * else shared state's, shown over the node's own status until it is over.
 */
export class ServerUsers {
  private readonly users = new Map<Node, (problem: NodeStatus | undefined) => void>();
  private connection?: NodeStatus;
  private shared?: NodeStatus;

  constructor(private readonly onFirstAndLast: { first(): void; last(): void }) {}

  add(user: Node, onProblem: (problem: NodeStatus | undefined) => void): void {
    this.users.set(user, onProblem);
    onProblem(this.shown());
    if (this.users.size === 1) this.onFirstAndLast.first();
  }

  remove(user: Node): void {
    // a close forgets them all before the nodes leave: the last one does not stop a closed client
    if (!this.users.delete(user)) return;
    if (this.users.size === 0) this.onFirstAndLast.last();
  }

  clear(): void {
    this.users.clear();
  }

  connectionProblem(problem: NodeStatus | undefined): void {
    this.connection = problem;
    this.tell();
  }

  sharedStateProblem(problem: NodeStatus | undefined): void {
    this.shared = problem;
    this.tell();
  }

  private shown(): NodeStatus | undefined {
    return this.connection ?? this.shared;
  }

  private tell(): void {
    for (const onProblem of this.users.values()) onProblem(this.shown());
  }
}

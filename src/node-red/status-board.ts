import type { Node, NodeStatus } from 'node-red';

/**
 * A node's status: its own state (what it is doing), unless its server connection has a
 * problem, which is shown instead until it is over; then the node's own state comes back.
 */
export class StatusBoard {
  private own: NodeStatus = {};
  private problem?: NodeStatus;

  constructor(private readonly node: Node) {}

  /** The node's own state. */
  readonly show = (status: NodeStatus): void => {
    this.own = status;
    this.render();
  };

  /** A connection problem, or undefined when there is none. */
  readonly connection = (problem: NodeStatus | undefined): void => {
    this.problem = problem;
    this.render();
  };

  private render(): void {
    this.node.status(this.problem ?? this.own);
  }
}

/** What the simulator keeps of the requests it receives, for tests to read (see `Simulator`). */
export interface RequestRecord {
  counts: Record<string, number>;
  paths: string[];
  bodies: Array<{ endpoint: string; body: unknown }>;
  reads: Record<string, number>;
}

// only the last ones: a long run (npm start) must not grow without end
const PATHS_KEPT = 10_000;
const BODIES_KEPT = 1_000;

export function recordRequest(record: RequestRecord, endpoint: string, path: string): void {
  record.counts[endpoint] = (record.counts[endpoint] ?? 0) + 1;
  record.paths.push(path);
  if (record.paths.length > PATHS_KEPT) record.paths.shift();
}

export function recordBody(record: RequestRecord, endpoint: string, body: unknown): void {
  record.bodies.push({ endpoint, body });
  if (record.bodies.length > BODIES_KEPT) record.bodies.shift();
}

export function recordRead(record: RequestRecord, callId: string): void {
  record.reads[callId] = (record.reads[callId] ?? 0) + 1;
}

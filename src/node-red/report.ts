import { AssetError } from '../assets/asset-error';
import { FieldError } from '../mapping/field-error';
import { XAssistError } from '../xassist';

/** The error a Catch node gets: its message, a code, and the details as `cause`. */
export function reportOf(err: unknown): Error & { code?: string; cause: Record<string, unknown> } {
  const source = err instanceof Error ? err : new Error(String(err));
  const cause: Record<string, unknown> = {};
  let code: string | undefined;
  if (source instanceof FieldError) {
    cause.field = source.field;
    code = source.code;
  } else if (source instanceof AssetError) {
    Object.assign(cause, {
      asset: { name: source.asset.name, uri: source.asset.uri },
      status: source.status,
    });
    code = source.code;
  } else if (source instanceof XAssistError) {
    Object.assign(cause, {
      kind: source.kind,
      status: source.status,
      path: source.path,
      serverMessage: source.serverMessage,
      mayHaveReachedServer: source.mayHaveReachedServer,
      retryAfterMs: source.retryAfterMs,
    });
    code = source.code ?? (source.status ? `HTTP_${source.status}` : source.kind.toUpperCase());
  }
  for (const name of Object.keys(cause)) if (cause[name] === undefined) delete cause[name];
  const report = new Error(source.message, { cause }) as Error & {
    code?: string;
    cause: Record<string, unknown>;
  };
  if (code) report.code = code;
  // Node-RED shows errors by toString(): the message alone reads better than "Error: …"
  report.toString = () => report.message;
  return report;
}

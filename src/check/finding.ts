/** as expected; differs (and what handles it); could not tell */
export type Verdict = 'expected' | 'differs' | 'unknown';

/** What one check found. */
export interface Finding {
  id: string;
  title: string;
  verdict: Verdict;
  /** what the server did, in a line */
  found: string;
  /** the setting that handles it, or what the package does on its own */
  advice?: string;
  /** the simulator's arguments that play what was found */
  simArgs?: string[];
  /** a server node setting that handles it, which the dialog's Apply sets */
  setting?: { name: string; value: string };
}

export const expected = (id: string, title: string, found: string): Finding => ({
  id,
  title,
  verdict: 'expected',
  found,
});

export const differs = (
  id: string,
  title: string,
  found: string,
  advice: string,
  simArgs?: string[],
): Finding => ({ id, title, verdict: 'differs', found, advice, simArgs });

export const unknown = (id: string, title: string, found: string): Finding => ({
  id,
  title,
  verdict: 'unknown',
  found,
});

/** A JSON object's fields, or undefined for anything else. */
export function objectOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A Spring page's items, or undefined when the answer is not a page. */
export function pageItems(value: unknown): Array<Record<string, unknown>> | undefined {
  const content = objectOf(value)?.content;
  return Array.isArray(content) ? content.map((item) => objectOf(item) ?? {}) : undefined;
}

/**
 * Completion as the user types, with Node-RED's own autoComplete widget (the one of msg
 * properties): a menu under the input, Enter or Tab takes the first, a click any.
 */

export interface Completion {
  /** the input's whole text once it is taken */
  value: string;
  label: string;
}

type Search = (text: string, done: (completions: Completion[]) => void) => void;

/** At most this many in the menu: the widget shows them all, and the user types on. */
const SHOWN = 20;

/** Offers completions for the input's text; a page without the widget gets none. */
export function completeWith(input: JQuery, search: Search, minLength = 1): void {
  const widget = input as JQuery & { autoComplete?: (options: object) => JQuery };
  if (typeof widget.autoComplete !== 'function') return;
  widget.autoComplete({
    minLength,
    search: (text: string, done: (completions: Completion[]) => void) =>
      search(text, (completions) => done(completions.slice(0, SHOWN))),
  });
}

/** The texts of `all` that hold what is typed, whatever its case; those that start with it first. */
export function matching(all: readonly string[], typed: string): Completion[] {
  const wanted = typed.trim().toLowerCase();
  if (!wanted) return [];
  const found = all.filter((text) => text.toLowerCase().includes(wanted));
  const starts = (text: string) => text.toLowerCase().startsWith(wanted);
  return [...found.filter(starts), ...found.filter((text) => !starts(text))].map((text) => ({
    value: text,
    label: text,
  }));
}

/**
 * The days of a shift as Node-RED's inject node shows them: a check box per day, Monday
 * first. Saved as the runtime reads them: `daily`, or names such as `mon,tue,wed`.
 */
import type { EditorNode } from './node';

/** in the order shown */
const SHOWN = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** by JavaScript's weekday, 0 for Sunday, as the runtime also takes them */
const BY_NUMBER = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The days a saved shift names, as the runtime reads them: `daily`, `*`, names, or 0–6. */
export function savedDays(days: unknown): Set<string> {
  if (days === undefined || days === 'daily' || days === '*') return new Set(SHOWN);
  const list: unknown[] =
    typeof days === 'string' ? days.split(/[\s,]+/) : Array.isArray(days) ? days : [];
  const names = list.map((day) => {
    if (typeof day === 'number') return BY_NUMBER[day];
    const start = typeof day === 'string' && day.length >= 2 ? day.slice(0, 3).toLowerCase() : '';
    return start ? SHOWN.find((name) => name.startsWith(start)) : undefined;
  });
  return new Set(names.filter((name): name is string => name !== undefined));
}

export function daysEditor(days: unknown, node: EditorNode): JQuery {
  const ticked = savedDays(days);
  const box = $('<span class="xassist-duty-days" style="white-space: nowrap">');
  for (const day of SHOWN) {
    const tick = $('<input type="checkbox" style="width: auto; margin: 0 2px 0 0">')
      .val(day)
      .prop('checked', ticked.has(day));
    $('<label style="width: auto; margin: 0 6px 0 0">')
      .append(tick, $('<span>').text(node._(`xassist-duty-schedule.days.${day}`)))
      .appendTo(box);
  }
  return box;
}

/** `daily` when every day is ticked, else the ticked days' names; '' for none. */
export function daysIn(row: JQuery): string {
  const ticked = row
    .find('.xassist-duty-days input:checked')
    .map((_index, element) => String($(element).val()))
    .get();
  return ticked.length === SHOWN.length ? 'daily' : ticked.join(',');
}

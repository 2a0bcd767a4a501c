/**
 * The people fields of a duty schedule's dialog: login names or emails, comma-separated, each
 * completed from the users of the server the dialog has chosen as one types; a user picked in
 * Find users goes to the field last selected.
 */
import { completeWith, type Completion } from './complete';

interface User {
  userId: string;
  realName?: string;
}

const PEOPLE = 'xassist-duty-people';
const SERVER = '#node-config-input-server';

/** The people field selected last in the open dialog, where Find users adds its pick. */
let selected: JQuery | undefined;

export function peopleInput(placeholder: string, value: string): JQuery {
  const input = $('<input type="text" autocomplete="off">')
    .addClass(PEOPLE)
    .attr('placeholder', placeholder)
    .val(value);
  input.on('focus', () => {
    selected = input;
  });
  completeWith(input, usersFor);
  return input;
}

/** The text of a people field, its names trimmed and comma-separated. */
export function peopleOf(input: JQuery): string {
  return namesIn(String(input.val() ?? '')).join(', ');
}

function namesIn(text: string): string[] {
  return text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}

/** The users whose name, login or email holds the last name being typed, to complete it. */
function usersFor(text: string, done: (completions: Completion[]) => void): void {
  const comma = text.lastIndexOf(',');
  const typed = text.slice(comma + 1).trim();
  const server = $(SERVER).val();
  if (!typed || !server || server === '_ADD_') {
    done([]);
    return;
  }
  const before = comma < 0 ? '' : `${text.slice(0, comma + 1)} `;
  $.getJSON(`xassist-server/${encodeURIComponent(String(server))}/users`, { q: typed })
    .done((users: User[]) =>
      done(
        users.map((user) => ({
          value: before + user.userId,
          label: user.userId + (user.realName ? ` – ${user.realName}` : ''),
        })),
      ),
    )
    .fail(() => done([]));
}

/** Forgets the field of a dialog closed before: a new dialog starts without one. */
export function forgetSelected(): void {
  selected = undefined;
}

/**
 * Adds a user picked in Find users to the people field last selected, else to the dialog's
 * first empty one, and shows where it went.
 */
export function addPicked(dialog: JQuery, userId: string): void {
  const target =
    selected && $.contains(document.documentElement, selected[0])
      ? selected
      : dialog
          .find(`.${PEOPLE}`)
          .filter((_index, element) => String($(element).val() ?? '').trim() === '')
          .first();
  if (!target.length) return;
  const names = namesIn(String(target.val() ?? ''));
  if (!names.includes(userId)) target.val([...names, userId].join(', '));
  target.trigger('change').trigger('focus');
}

/**
 * Find users: a search of the chosen server's users, for every dialog that names people. The
 * user picked is handed to `onPick`; the hint under the row shows only when it has something
 * to say.
 */
import { shared } from './node';

interface User {
  userId: string;
  realName?: string;
}

/**
 * `prefix` is the dialog's: `node-input` for a flow node's, `node-config-input` for a config
 * node's, whose server input has that prefix too.
 */
export function findUsers(
  after: JQuery,
  onPick: (userId: string) => void,
  prefix = 'node-input',
): void {
  const query = $(`<input type="text" id="${prefix}-pick-query" style="width: 30%">`).attr(
    'placeholder',
    shared('pick.placeholder'),
  );
  const search = $(`<button type="button" class="red-ui-button" id="${prefix}-pick-search">`)
    .attr('title', shared('pick.label'))
    .append('<i class="fa fa-search"></i>');
  const choices = $(`<select id="${prefix}-pick-list" style="width: 35%">`);
  const hint = $(`<div class="form-tips" id="${prefix}-pick-hint" style="margin-top: 4px">`);
  const say = (text: string) => hint.text(text).toggle(text !== '');
  const label = $(`<label for="${prefix}-pick-query">`).append(
    '<i class="fa fa-search"></i> ',
    $('<span>').text(shared('pick.label')),
  );
  $('<div class="form-row">')
    .append(label, ' ', query, ' ', search, ' ', choices, hint)
    .insertAfter(after);
  say('');

  const list = () => {
    choices.empty();
    say('');
    const server = $(`#${prefix}-server`).val();
    if (!server || server === '_ADD_') {
      say(shared('pick.no-server'));
      return;
    }
    $.getJSON(`xassist-server/${encodeURIComponent(String(server))}/users`, { q: query.val() })
      .done((users: User[]) => {
        choices.append($('<option value="">').text(shared('pick.choose', { count: users.length })));
        for (const user of users) {
          const text = user.userId + (user.realName ? ` – ${user.realName}` : '');
          choices.append($('<option>').val(user.userId).text(text));
        }
      })
      .fail((xhr) => say(xhr.responseJSON?.message || shared('pick.failed')));
  };
  search.on('click', list);
  query.on('keydown', (event) => {
    if (event.key !== 'Enter') return;
    // Enter in a dialog's input would otherwise close the dialog
    event.preventDefault();
    list();
  });
  choices.on('change', () => {
    const userId = String(choices.val() ?? '');
    if (userId) onPick(userId);
    choices.val('');
  });
}

/**
 * The server dialog's *Check server*: logs in with the dialog's fields as they are, shows the
 * report as a table, and *Apply* sets the settings it recommends in the dialog's fields.
 */
import type { EditorNode } from './node';

interface Finding {
  id: string;
  verdict: string;
  title: string;
  found: string;
  advice?: string;
  setting?: { name: string; value: string };
}

interface Answer {
  ok: boolean;
  message: string;
  report?: { findings: Finding[]; ms: number };
  simArgs?: string[];
}

const MARKS: Record<string, { text: string; color: string }> = {
  expected: { text: '✓', color: '#3a3' },
  differs: { text: '⚠', color: '#c80' },
  unknown: { text: '?', color: '#888' },
};

/** What the check sends: the dialog's fields, a config node's `_ADD_` as none. */
const SENT = ['url', 'domain', 'username', 'password', 'refreshPath', 'timeout', 'tls', 'proxy'];

const field = (name: string) => $(`#node-config-input-${name}`);
const config = (name: string) => {
  const value = field(name).val();
  return value === '_ADD_' ? '' : String(value ?? '');
};

export function serverCheck(slot: JQuery, node: EditorNode): void {
  const t = (key: string, values?: Record<string, unknown>) =>
    node._(`xassist-server.check.${key}`, values);
  const view = checkView(t);
  slot.append(view.parts);
  // the settings the last report recommends that the dialog does not hold yet
  let recommended: Array<{ name: string; value: string }> = [];
  // a click while a check runs: only the last one's answer is shown
  let asked = 0;

  const showReport = (answer: Answer) => {
    const counts: Record<string, number> = { expected: 0, differs: 0, unknown: 0 };
    view.rows.empty();
    for (const finding of answer.report?.findings ?? []) {
      const verdict = MARKS[finding.verdict] ? finding.verdict : 'unknown';
      counts[verdict] += 1;
      view.rows.append(findingRow(finding, verdict, t(verdict)));
      const setting = finding.setting;
      if (setting && field(setting.name).length && config(setting.name) !== setting.value) {
        // two findings may name one setting: set once, as the later one says
        recommended = recommended.filter((other) => other.name !== setting.name).concat([setting]);
      }
    }
    view.summary.text(t('summary', { ...counts, ms: answer.report?.ms }));
    const simArgs = answer.simArgs ?? [];
    view.sim.empty();
    if (simArgs.length) {
      view.sim.append(
        t('simulator'),
        ' ',
        $('<code>').text(`npx xassist-sim ${simArgs.join(' ')}`),
      );
    }
    view.report.show();
    view.apply.toggle(recommended.length > 0);
  };

  view.button.on('click', () => {
    const mine = ++asked;
    recommended = [];
    view.apply.hide();
    view.report.hide();
    view.applied.text('');
    view.result.css('color', '').text(t('checking'));
    const sent: Record<string, string> = { id: node.id };
    for (const name of SENT) sent[name] = config(name);
    $.ajax({
      url: 'xassist-server/check',
      type: 'POST',
      contentType: 'application/json',
      data: JSON.stringify(sent),
    })
      .done((answer: Answer) => {
        if (mine !== asked) return;
        view.result
          .css('color', answer.ok ? '#3a3' : '#c00')
          .text(`${answer.ok ? '✓' : '✗'} ${answer.message}`);
        if (answer.report) showReport(answer);
      })
      .fail(() => {
        if (mine !== asked) return;
        view.result.css('color', '#c00').text(`✗ ${t('failed')}`);
      });
  });

  // the fields only: saving the node (Update, or Add) keeps them, Cancel leaves it as it was
  view.apply.on('click', () => {
    const set = recommended.map((setting) => {
      field(setting.name).val(setting.value).trigger('change');
      const key = `xassist-server.label.${setting.name}`;
      const label = node._(key);
      return `${label === key ? setting.name : label} = ${setting.value}`;
    });
    recommended = [];
    view.apply.hide();
    view.applied.text(t('applied', { settings: set.join(', ') }));
  });
}

/** The check's parts of the dialog, as Node-RED's own rows look. */
function checkView(t: (key: string) => string) {
  const button = $('<button type="button" class="red-ui-button" id="node-config-check">').append(
    '<i class="fa fa-stethoscope"></i> ',
    $('<span>').text(t('button')),
  );
  const result = $(
    '<span id="node-config-check-result" style="display: inline-block; width: 70%">',
  );
  const rows = $(
    '<tbody id="node-config-check-rows" style="vertical-align: top; word-break: break-word">',
  );
  const headings = ['', t('title'), t('found'), t('advice')].map((text) => $('<th>').text(text));
  const table = $(
    '<table style="width: 100%; font-size: 0.9em; border-collapse: collapse">',
  ).append($('<thead>').append($('<tr style="text-align: left">').append(headings)), rows);
  const summary = $('<div id="node-config-check-summary" style="margin-top: 6px">');
  const sim = $('<div id="node-config-check-sim" style="white-space: normal">');
  const apply = $('<button type="button" class="red-ui-button" id="node-config-check-apply">')
    .append('<i class="fa fa-check"></i> ', $('<span>').text(t('apply')))
    .hide();
  const applied = $('<span id="node-config-check-applied">');
  const report = $('<div class="form-row" id="node-config-check-report" style="margin-top: 8px">')
    .append(table, summary, sim, $('<div style="margin-top: 6px">').append(apply, ' ', applied))
    .hide();
  const parts = [
    $('<div class="form-row">').append('<label></label>', button),
    $('<div class="form-row">').append('<label></label>', result),
    $('<div class="form-tips" id="node-config-check-what">').text(t('what')),
    report,
  ];
  return { parts, button, result, rows, summary, sim, apply, applied, report };
}

function findingRow(finding: Finding, verdict: string, verdictText: string): JQuery {
  const cell = (text: string) => $('<td>').text(text).css('padding', '2px 4px');
  // the server's words are text, never markup
  return $('<tr>')
    .attr({ 'data-finding': finding.id, 'data-verdict': verdict })
    .append(
      cell(MARKS[verdict].text)
        .attr({ title: verdictText, 'aria-label': verdictText })
        .css({ color: MARKS[verdict].color, 'font-weight': 'bold' }),
      cell(finding.title).css('white-space', 'nowrap'),
      cell(finding.found),
      cell(finding.advice ?? ''),
    );
}

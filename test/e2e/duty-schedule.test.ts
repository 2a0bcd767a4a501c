import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import should from 'should';
import { Answers } from '../support/answers';
import { launchChromium, openEditor } from '../support/browser';
import { serverConfig } from '../support/flow-nodes';
import type { FlowNode } from '../support/node-red';
import { NodeRedRig } from '../support/node-red-rig';

/* eslint-disable @typescript-eslint/no-explicit-any -- RED is the editor's global */
declare const RED: any;

/**
 * A fixed-offset zone (no daylight saving) whose clocks show a time from 01:00 to 02:00 now:
 * there a night shift 22:00–06:00 holds now and for four hours more, and today is 22 hours
 * long yet, whatever time the test runs, so that who is on duty is known before the test
 * begins. `Etc/GMT-3` is UTC+3: the sign is POSIX's.
 */
function zoneOfNightNow(now = new Date()): { zone: string; today: string } {
  const utcHour = now.getUTCHours();
  // an offset from -12 to +14 that makes the local hour 1
  let offset = (((1 - utcHour) % 24) + 24) % 24;
  if (offset > 14) offset -= 24;
  const zone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(now);
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(
      now,
    ),
  );
  should(hour).equal(1, `${zone} shows ${hour} h`);
  return { zone, today };
}

/** The server, an http in node for the alarm, and a duty node with no schedule yet. */
function flows(serverUrl: string): FlowNode[] {
  return [
    { id: 'tab', type: 'tab', label: 'on duty' },
    serverConfig(serverUrl, { timeout: 5 }),
    {
      id: 'in',
      type: 'http in',
      z: 'tab',
      url: '/alarm',
      method: 'post',
      x: 100,
      y: 100,
      wires: [['ok']],
    },
    { id: 'ok', type: 'http response', z: 'tab', statusCode: '200', x: 300, y: 60, wires: [] },
    { id: 'duty', type: 'xassist-duty', z: 'tab', schedule: '', x: 300, y: 200, wires: [[]] },
  ];
}

describe('the duty schedule dialog in headless Chromium, against the simulator', function () {
  this.timeout(90_000);
  const rig = new NodeRedRig();
  let browser: Browser;
  let page: Page;
  let answers: Answers;
  const consoleErrors: string[] = [];

  before(async function () {
    await rig.start({ flows });
    answers = new Answers(rig.sim);
    browser = await launchChromium();
    page = await openEditor(browser, rig.nodeRed.url, { errors: consoleErrors });
  });

  after(async function () {
    answers?.stop();
    await browser?.close();
    await rig.close();
  });

  /** The row of an editable list of the open config dialog, from 0. */
  const rowOf = (list: string, index: number): Locator =>
    page.locator(`#node-config-input-${list}-list > li`).nth(index);

  /** Clicks the add button under an editable list of the open config dialog. */
  const addRow = (list: string) =>
    page.click(`.node-config-input-${list}-row .red-ui-editableList-addButton`);

  it('adds a night shift, a day shift and an override; the alarm calls who is on duty', async function () {
    const { zone, today } = zoneOfNightNow();

    // from the duty node's dialog, as a flow author adds the schedule it needs
    await page.evaluate(() => RED.editor.edit(RED.nodes.node('duty')));
    await page.waitForSelector('#node-input-schedule', { state: 'attached' });
    // the config select's add button: Node-RED 4's, or the one button of 3.1
    await page.click('#node-input-btn-schedule-add, #node-input-lookup-schedule');
    await page.waitForSelector('#node-config-input-shifts-list li', { state: 'attached' });
    await page.selectOption('#node-config-input-server', 'server');
    await page.fill('#node-config-input-name', 'plant 7');

    // the zone completes from the platform's zones
    await page.click('#node-config-input-zone');
    await page.keyboard.type('Berl');
    await page.waitForSelector('.red-ui-autoComplete-container :text("Europe/Berlin")');
    await page.fill('#node-config-input-zone', zone);

    // a new schedule's one blank row, every day ticked: the night shift
    const night = rowOf('shifts', 0);
    await night.locator('.xassist-duty-from').fill('22:00');
    await night.locator('.xassist-duty-to').fill('06:00');
    // a name completes from the chosen server's users
    await night.locator('.xassist-duty-level').nth(0).click();
    await page.keyboard.type('expert');
    await page.waitForSelector('.red-ui-autoComplete-container :text("expert3")');
    await night.locator('.xassist-duty-level').nth(0).fill('expert3');
    await night.locator('.xassist-duty-level').nth(1).fill('expert2');

    // the day shift, on weekdays
    await addRow('shifts');
    const day = rowOf('shifts', 1);
    for (const weekend of ['sat', 'sun']) {
      await day.locator(`.xassist-duty-days input[value="${weekend}"]`).uncheck();
    }
    await day.locator('.xassist-duty-from').fill('06:00');
    await day.locator('.xassist-duty-to').fill('22:00');
    await day.locator('.xassist-duty-level').nth(0).fill('expert1');

    // the night shift's primary away today: the backup moves up
    await addRow('overrides');
    const away = rowOf('overrides', 0);
    await away.locator('.xassist-duty-from-date').fill(today);
    await away.locator('.xassist-duty-to-date').fill(today);
    await away.locator('.xassist-duty-away').fill('expert3');

    // otherwise, picked in Find users: it goes to the people field selected last
    await page.click('#node-config-input-otherwise-list .xassist-duty-level >> nth=0');
    await page.fill('#node-config-input-pick-query', 'glasses');
    await page.click('#node-config-input-pick-search');
    await page.waitForSelector('#node-config-input-pick-list option[value="glasses1"]', {
      state: 'attached',
    });
    await page.selectOption('#node-config-input-pick-list', 'glasses1');
    should(
      await page.inputValue('#node-config-input-otherwise-list .xassist-duty-level >> nth=0'),
    ).equal('glasses1');

    const screenshot = process.env.XASSIST_DUTY_SCREENSHOT;
    await page.screenshot({ path: screenshot ?? path.join(tmpdir(), 'xassist-duty-dialog.png') });

    await page.click('#node-config-dialog-ok');
    await page.waitForSelector('#node-config-input-shifts-list', { state: 'detached' });
    await page.click('#node-dialog-ok');
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });

    // an escalate node whose one step is the schedule's primary (imported: its dialog's duty
    // type is not what this test is about), fed by the alarm
    const scheduleId = await page.evaluate(() => {
      const id: string = RED.nodes.node('duty').schedule;
      RED.nodes.import([
        {
          id: 'escalate',
          type: 'xassist-escalate',
          z: 'tab',
          server: 'server',
          steps: [{ v: `${id}:1`, vt: 'duty', timeout: '60' }],
          x: 300,
          y: 140,
          wires: [[], [], []],
        },
      ]);
      RED.nodes.addLink({
        source: RED.nodes.node('in'),
        sourcePort: 0,
        target: RED.nodes.node('escalate'),
      });
      RED.nodes.dirty(true);
      return id;
    });
    const from = rig.nodeRed.output.length;
    await page.click('#red-ui-header-button-deploy');
    await rig.nodeRed.untilOutput('Started flows', from);

    const deployed = (await (await fetch(`${rig.nodeRed.url}flows`)).json()) as FlowNode[];
    const schedule = deployed.find((node) => node.id === scheduleId);
    should(schedule).containDeep({
      type: 'xassist-duty-schedule',
      name: 'plant 7',
      server: 'server',
      zone,
      shifts: [
        { days: 'daily', from: '22:00', to: '06:00', levels: ['expert3', 'expert2'] },
        { days: 'mon,tue,wed,thu,fri', from: '06:00', to: '22:00', levels: ['expert1'] },
      ],
      overrides: [{ from: today, to: today, away: 'expert3' }],
      otherwise: ['glasses1'],
    });
    should(schedule?.overrides).eql([{ from: today, to: today, away: 'expert3' }]);

    // the duty node beside it says which schedule is in force, and who is primary
    await page.waitForFunction(() => RED.nodes.node('duty')?.status?.text === 'table: expert2', {
      timeout: 20_000,
    });

    const answer = await rig.nodeRed.post('alarm', { machine: 7 });
    should(answer.status).equal(200);
    await answers.untilCreated(1);
    should(answers.created.map((created) => created.invitees)).eql([['expert2']]);
    should(consoleErrors).be.empty();
  });

  it('shows a schedule written by hand as the runtime reads it, and saves it in the dialog’s form', async function () {
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
    await page.evaluate(() => {
      RED.nodes.import([
        {
          id: 'by-hand',
          type: 'xassist-duty-schedule',
          zone: 'Europe/Berlin',
          // days as numbers (0 Sunday), one level as a text, an end at 24:00, otherwise a text
          shifts: [
            { days: [1, 2, 3, 4, 5], from: '8:00', to: '24:00', levels: 'expert1, expert2' },
          ],
          overrides: [
            { from: '2026-12-31T20:00', to: '2027-01-01', cover: ['expert4'], away: ['expert1'] },
          ],
          otherwise: 'expert4',
        },
      ]);
      RED.editor.editConfig('', 'xassist-duty-schedule', 'by-hand');
    });
    await page.waitForSelector('#node-config-input-shifts-list li', { state: 'attached' });
    const row = rowOf('shifts', 0);
    should(await row.locator('.xassist-duty-from').inputValue()).equal('08:00');
    should(await row.locator('.xassist-duty-to').inputValue()).equal('00:00');
    should(await row.locator('.xassist-duty-days input:checked').count()).equal(5);
    await page.click('#node-config-dialog-ok');
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
    const saved = await page.evaluate(() => {
      const { shifts, overrides, otherwise } = RED.nodes.node('by-hand');
      return { shifts, overrides, otherwise };
    });
    should(saved).eql({
      shifts: [
        { days: 'mon,tue,wed,thu,fri', from: '08:00', to: '00:00', levels: ['expert1, expert2'] },
      ],
      overrides: [
        { from: '2026-12-31T20:00', to: '2027-01-01', cover: ['expert4'], away: 'expert1' },
      ],
      otherwise: ['expert4'],
    });
    await page.evaluate(() => RED.nodes.remove('by-hand'));
    should(consoleErrors).be.empty();
  });

  it('says what is wrong with a setting, naming the row, as the dialog shows it', async function () {
    const problems = await page.evaluate(() => {
      const type = RED.nodes.getType('xassist-duty-schedule');
      const node = { _: type._ };
      const { shifts, overrides, otherwise, zone } = type.defaults;
      const night = { days: 'daily', from: '22:00', to: '06:00', levels: ['expert3'] };
      return [
        shifts.validate.call(node, [night, { ...night, from: '7am' }], {}),
        shifts.validate.call(node, [{ ...night, days: '' }], {}),
        overrides.validate.call(node, [{ from: '2026-12-24', to: '2026-12-24' }], {}),
        overrides.validate.call(node, [{ from: '2026-12-24', to: '2026-12-23', away: 'x' }], {}),
        otherwise.validate.call(node, [], {}),
        zone.validate.call(node, 'Europe/Berlim', {}),
        zone.validate.call(node, '', {}),
        shifts.validate.call(node, [night], {}),
      ];
    });
    should(problems).eql([
      'Weekly shifts: row 2: from and to must be times HH:MM',
      'Weekly shifts: row 1: tick at least one day',
      'Overrides: row 1: give who covers, who is away, or both',
      'Overrides: row 1: from and to must be dates (a time may follow), to after from',
      'Otherwise: name someone: no moment may have nobody on duty',
      "Time zone: must be a time zone such as Europe/Berlin (empty: the host's)",
      true,
      true,
    ]);
  });
});

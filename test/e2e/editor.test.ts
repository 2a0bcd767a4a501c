import { readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import should from 'should';
import { demoFlows } from '../../scripts/start';
import { launchChromium, openEditor } from '../support/browser';
import { chooseDutyStep, dutyStepShown, PLANT7, removeDutyStep } from '../support/duty-step';
import { openEveryDialog } from '../support/editor-dialogs';
import { NodeRedRig } from '../support/node-red-rig';
import { CONNECTOR } from '../support/simulator';

/* eslint-disable @typescript-eslint/no-explicit-any -- RED is the editor's global */
declare const RED: any;

describe('the editor in headless Chromium', function () {
  this.timeout(90_000);
  const rig = new NodeRedRig();
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  before(async function () {
    await rig.start({
      simulator: { autoplay: { joinAfterMs: 1_000, endAfterMs: 30_000 } },
      flows: (serverUrl) => demoFlows(serverUrl),
      credentials: { 'xassist-simulator': { ...CONNECTOR } },
    });
    browser = await launchChromium();
    page = await openEditor(browser, rig.nodeRed.url, { errors: consoleErrors, width: 1600 });
  });

  after(async function () {
    await browser?.close();
    await rig.close();
  });

  it('loads with the nodes in their own palette category and no console error', async function () {
    const types = await page.$$eval('.red-ui-palette-node[data-palette-type^="xassist"]', (nodes) =>
      nodes.map((node) => node.getAttribute('data-palette-type')),
    );
    should(types.sort()).eql([
      'xassist-assets',
      'xassist-call-history',
      'xassist-call-status',
      'xassist-create-call',
      'xassist-duty',
      'xassist-escalate',
    ]);
    const category = await page.$eval(
      '.red-ui-palette-node[data-palette-type="xassist-create-call"]',
      (node) => node.closest('.red-ui-palette-category')?.id,
    );
    should(category).equal('red-ui-palette-container-xAssist');
    const labels = await page.$$eval(
      '#red-ui-palette-container-xAssist .red-ui-palette-label',
      (nodes) => nodes.map((node) => node.textContent?.replace(/\s+/g, ' ').trim()),
    );
    should(labels.sort()).eql([
      'call assets',
      'call history',
      'call status',
      'create call',
      'duty',
      'escalate',
    ]);
    should(consoleErrors).be.empty();
  });

  it('shows each node with its own icon: the palette loads the SVG the package ships', async function () {
    const icons: Array<[string, string]> = [
      ['xassist-create-call', 'src/nodes/create-call/icons/xassist-call.svg'],
      ['xassist-call-status', 'src/nodes/call-status/icons/xassist-call-status.svg'],
      ['xassist-escalate', 'src/nodes/escalate/icons/xassist-escalate.svg'],
      ['xassist-call-history', 'src/nodes/call-history/icons/xassist-history.svg'],
      ['xassist-assets', 'src/nodes/assets/icons/xassist-assets.svg'],
      ['xassist-duty', 'src/nodes/duty/icons/xassist-duty.svg'],
    ];
    for (const [type, source] of icons) {
      const file = path.basename(source);
      const image = await page.$eval(
        `.red-ui-palette-node[data-palette-type="${type}"] .red-ui-palette-icon`,
        (icon) => getComputedStyle(icon).backgroundImage,
      );
      const url = /url\("?([^")]+)"?\)/.exec(image)?.[1] ?? '';
      should(url).endWith(`icons/@frontline-flows/node-red-xassist/${file}`);
      // Node-RED answers an icon it cannot find with its default arrow: compare the bytes
      const served = await (await fetch(new URL(url, rig.nodeRed.url))).text();
      should(served).equal(readFileSync(source, 'utf8'));
    }
  });

  it('opens each node’s edit dialog with its fields', async function () {
    await page.evaluate(() => RED.editor.edit(RED.nodes.node('call-expert')));
    for (const field of [
      'server',
      'callTitle',
      'invitees-list',
      'callType',
      'callReason',
      'creatorUser',
      'plannedDateTime',
      'dedupKey',
      'pick-query',
    ]) {
      await page.waitForSelector(`#node-input-${field}`, { state: 'attached' });
    }
    await page.waitForSelector('#node-input-invitees-list li', { state: 'attached' });
    const invitees = await page.$$eval('#node-input-invitees-list li', (rows) => rows.length);
    should(invitees).equal(1);
    await page.click('#node-input-pick-search');
    await page.waitForSelector('#node-input-pick-list option:nth-child(2)', { state: 'attached' });
    // the hint box under Find users shows only when it has something to say
    should(await page.isVisible('#node-input-pick-hint')).be.false();
    await page.click('#node-dialog-cancel');

    await page.evaluate(() => RED.editor.edit(RED.nodes.node('follow-call')));
    for (const field of ['pollInterval', 'joinTimeout', 'skipHistory', 'callId']) {
      await page.waitForSelector(`#node-input-${field}`, { state: 'attached' });
    }
    await page.click('#node-dialog-cancel');
    should(consoleErrors).be.empty();
  });

  it('shows every label, placeholder and unit of each dialog translated, built rows too', async function () {
    /** the keys the open tray shows nothing for, or the key itself: not in the catalogue */
    const untranslated = () =>
      page.$$eval('.red-ui-tray [data-i18n]', (elements) =>
        elements.flatMap((element) =>
          (element.getAttribute('data-i18n') ?? '').split(';').filter((key) => {
            const attribute = /^\[(\w+)\]/.exec(key)?.[1];
            const shown = (attribute ? element.getAttribute(attribute) : element.textContent) ?? '';
            const bare = key.replace(/^\[\w+\]/, '');
            return shown.trim() === '' || [bare, bare.split(':').pop()].includes(shown.trim());
          }),
        ),
      );
    // the dialog a test before closed may still be on its way out: a new one waits for it
    // what the dialogs' code writes itself: a key the catalogue lacks shows as the key
    const keysShown = () =>
      page.$eval('.red-ui-tray', (tray) => {
        const texts = [(tray as HTMLElement).innerText];
        tray.querySelectorAll('[placeholder], [title]').forEach((element) => {
          texts.push(
            element.getAttribute('placeholder') ?? '',
            element.getAttribute('title') ?? '',
          );
        });
        // a key has a name after its dot: Node-RED's own "Add new xassist-duty-schedule..." has none
        return texts.join('\n').match(/xassist-[a-z-]+\.[\w-][\w.-]*/g) ?? [];
      });
    await openEveryDialog(page, 'xassist-simulator', async (type) => {
      should(await untranslated()).eql([], type);
      should(await keysShown()).eql([], type);
    });
    should(consoleErrors).be.empty();
  });

  it('edits the escalation steps: a row per step, team ids, and a wait per row', async function () {
    await page.evaluate(() => RED.editor.edit(RED.nodes.node('escalate-experts')));
    await page.waitForSelector('#node-input-steps-list li .node-input-step-who', {
      state: 'attached',
    });
    for (const field of ['timeout', 'rounds', 'callTitle', 'creatorUser', 'dedupKey']) {
      await page.waitForSelector(`#node-input-${field}`, { state: 'attached' });
    }
    const rows = await page.$$eval('#node-input-steps-list li', (items) => items.length);
    should(rows).equal(3);
    await page.evaluate(() => {
      const list = (globalThis as any).$('#node-input-steps-list');
      list.editableList('addItem', { v: 'expert2, glasses1', vt: 'str', timeout: '45' });
    });
    await page.click('#node-dialog-ok');
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
    const steps = await page.evaluate(() => RED.nodes.node('escalate-experts').steps);
    should(steps).eql([
      { v: 'expert3', vt: 'str', timeout: '15' },
      { v: 'expert1', vt: 'str', timeout: '30' },
      { v: '1', vt: 'team', timeout: '' },
      { v: 'expert2, glasses1', vt: 'str', timeout: '45' },
    ]);
    should(consoleErrors).be.empty();
  });

  it('fills a step from Find users in the escalate dialog, the hint hidden unless it says something', async function () {
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
    await page.evaluate(() => {
      const z = RED.workspaces.active();
      RED.nodes.import([
        {
          id: 'new-escalate',
          type: 'xassist-escalate',
          z,
          server: 'xassist-simulator',
          wires: [[], [], []],
        },
      ]);
      RED.editor.edit(RED.nodes.node('new-escalate'));
    });
    await page.waitForSelector('#node-input-steps-list li .node-input-step-who', {
      state: 'attached',
    });
    // a new node's one blank step, and no hint box yet
    should(await page.$$eval('#node-input-steps-list li', (rows) => rows.length)).equal(1);
    should(await page.isVisible('#node-input-pick-hint')).be.false();
    await page.fill('#node-input-pick-query', 'expert');
    await page.click('#node-input-pick-search');
    await page.waitForSelector('#node-input-pick-list option:nth-child(2)', { state: 'attached' });
    should(await page.isVisible('#node-input-pick-hint')).be.false();
    const picked = await page.$eval(
      '#node-input-pick-list option:nth-child(2)',
      (option) => (option as HTMLOptionElement).value,
    );
    should(picked).match(/^expert/);
    await page.selectOption('#node-input-pick-list', picked);
    // the blank step is filled, not left above a new one
    should(await page.$$eval('#node-input-steps-list li', (rows) => rows.length)).equal(1);
    await page.click('#node-dialog-ok');
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
    const steps = await page.evaluate(() => RED.nodes.node('new-escalate').steps);
    should(steps).eql([{ v: picked, vt: 'str', timeout: '' }]);
    await page.evaluate(() => RED.nodes.remove('new-escalate'));
    should(consoleErrors).be.empty();
  });

  it('calls a level of a duty schedule in an escalate step: chosen by name and level, saved as <id>:<level>', async function () {
    const { choices, shown, saved } = await chooseDutyStep(page, {
      id: 'step-duty-escalate',
      server: 'xassist-simulator',
      value: `${PLANT7.id}:2`,
      wait: '60',
    });
    // every schedule of the workspace, the examples' too, each at each of its levels
    should(choices.filter((choice) => choice.startsWith('Line 9 duty'))).eql([
      'Line 9 duty · primary',
      'Line 9 duty · backup',
      'Line 9 duty · level 3',
    ]);
    should(choices).containEql('Plant 7 duty · backup');
    should(shown).equal('Line 9 duty · backup');
    should(saved).eql({ steps: [{ v: `${PLANT7.id}:2`, vt: 'duty', timeout: '60' }], valid: true });

    // opened again, the row shows its schedule and level by name
    await page.evaluate(() => RED.editor.edit(RED.nodes.node('step-duty-escalate')));
    should(await dutyStepShown(page)).equal('Line 9 duty · backup');
    await page.click('#node-dialog-cancel');
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });

    // (no named function inside: the page has no __name, which the test's compiler adds to one)
    const problems = await page.evaluate(
      (checks) =>
        checks.map(([type, setting, value]) => {
          const node = { ...RED.nodes.node('step-duty-escalate') };
          node._ = RED.nodes.getType(type)._;
          return RED.nodes.getType(type).defaults[setting].validate.call(node, value, {});
        }),
      [
        [
          'xassist-escalate',
          'steps',
          [
            { v: 'expert1', vt: 'str' },
            { v: `${PLANT7.id}:0`, vt: 'duty' },
          ],
        ],
        ['xassist-escalate', 'steps', [{ v: 'gone0123456789ab:2', vt: 'duty' }]],
        ['xassist-create-call', 'invitees', [{ v: `${PLANT7.id}:1.5`, vt: 'duty' }]],
        ['xassist-create-call', 'invitees', [{ v: `${PLANT7.id}:1`, vt: 'duty' }]],
      ] as Array<[string, string, unknown]>,
    );
    should(problems).eql([
      "Call in order: steps[1]: the level must be a whole number of at least 1, not '0'",
      "Call in order: steps[0]: there is no duty schedule 'gone0123456789ab' in this workspace",
      "Invite: invitees[0]: the level must be a whole number of at least 1, not '1.5'",
      true,
    ]);
    await removeDutyStep(page, 'step-duty-escalate');
    should(consoleErrors).be.empty();
  });

  it('says what is wrong with a setting, with its label and the limits of its schema', async function () {
    const problems = await page.evaluate(() => {
      const defaults = RED.nodes.getType('xassist-escalate').defaults;
      const node = { ...RED.nodes.node('escalate-experts') };
      node._ = RED.nodes.getType('xassist-escalate')._;
      return [
        defaults.rounds.validate.call(node, '101', {}),
        defaults.rounds.validate.call(node, '3', {}),
        defaults.timeout.validate.call(node, '0', {}),
        defaults.steps.validate.call(node, [{ v: 'expert1', vt: 'str', timeout: '90000' }], {}),
      ];
    });
    should(problems).eql([
      'Go through: must be a whole number from 1 to 100',
      true,
      'Default wait: must be a number above 0 and at most 86400',
      "Call in order: steps[0].timeout: must be a number of seconds above 0 and at most 86400, not the text '90000'",
    ]);
  });

  it('checks the server: success, and clear failures for a wrong password, a missing tenant path and another server', async function () {
    await page.evaluate(() => RED.editor.editConfig('', 'xassist-server', 'xassist-simulator'));
    await page.waitForSelector('#node-config-input-url');
    await page.click('#node-config-check');
    await page.waitForFunction(() =>
      document.querySelector('#node-config-check-result')?.textContent?.startsWith('✓'),
    );
    should(await page.textContent('#node-config-check-result')).equal(
      "✓ logged in as 'connector'; 7 users visible",
    );

    await page.fill('#node-config-input-password', 'wrong-password');
    await page.click('#node-config-check');
    await page.waitForFunction(() =>
      document.querySelector('#node-config-check-result')?.textContent?.startsWith('✗'),
    );
    should(await page.textContent('#node-config-check-result')).match(
      /^✗ xAssist refused the login of 'connector' in domain 'ubimax': check the username, password and login domain/,
    );
    // a refused login gets no check: the table of the last one is gone
    should(await page.isVisible('#node-config-check-report')).be.false();
    await page.fill('#node-config-input-password', CONNECTOR.password);

    // the usual mistake: the server's address without the tenant path
    await page.fill('#node-config-input-url', rig.sim.url);
    should(await checkResult()).equal(
      `✗ there is no xAssist login at ${rig.sim.url}login (404): check the tenant path, ` +
        'the URL is https://host/<tenant>/',
    );
    // an address that answers, but not as xAssist does
    await page.fill('#node-config-input-url', rig.sim.tenantUrl);
    rig.sim.addFault({ endpoint: 'login', type: 'garbage' });
    should(await checkResult()).equal(
      `✗ ${rig.sim.tenantUrl} is not an xAssist server: its login answered without a token (200)`,
    );
    await page.click('#node-config-dialog-cancel');
  });

  it('shows the check as a table, and Apply sets the refresh path it recommends', async function () {
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
    await page.evaluate(() => RED.editor.editConfig('', 'xassist-server', 'xassist-simulator'));
    await page.waitForSelector('#node-config-input-url');
    should(await page.isVisible('#node-config-check-report')).be.false();
    should(await checkResult()).equal("✓ logged in as 'connector'; 7 users visible");
    should(await page.isVisible('#node-config-check-report')).be.true();
    const headers = await page.$$eval('#node-config-check-report th', (cells) =>
      cells.map((cell) => cell.textContent),
    );
    should(headers).eql(['', 'Check', 'Found', 'What to do']);
    const rows = await reportRows();
    should(rows.length).be.above(10);
    should(rows.find((row) => row.id === 'login')).have.properties({
      verdict: 'expected',
      mark: '✓',
      markTitle: 'as expected',
    });
    // the simulator with its defaults is the server the package expects: nothing to apply
    should(rows.filter((row) => row.verdict === 'differs')).eql([]);
    should(await page.isVisible('#node-config-check-apply')).be.false();
    should(await page.textContent('#node-config-check-summary')).match(
      /^\d+ as expected, 0 differ, \d+ could not tell \(\d+ ms\)$/,
    );
    should(await page.textContent('#node-config-check-sim')).startWith(
      'A simulator like this server: npx xassist-sim --token-lifetime ',
    );

    // a server without the refresh endpoint
    rig.sim.variants.refreshFault = 'none';
    try {
      should(await checkResult()).startWith('✓ ');
      const refresh = (await reportRows()).find((row) => row.id === 'refresh');
      should(refresh).have.properties({
        verdict: 'differs',
        mark: '⚠',
        markTitle: 'differs',
      });
      // the check's own words, which its authors may reword: the status is what matters here
      should(refresh?.found).startWith('HTTP 404');
      should(refresh?.advice).match(/\bnone\b/);
      await page.click('#node-config-check-apply');
      should(await page.inputValue('#node-config-input-refreshPath')).equal('none');
      should(await page.isVisible('#node-config-check-apply')).be.false();
      should(await page.textContent('#node-config-check-applied')).equal(
        'Set in this dialog: Refresh path = none (saving the node keeps it, Cancel drops it)',
      );
      // checked again with the field as Apply set it: nothing left to set
      should(await checkResult()).startWith('✓ ');
      should((await reportRows()).find((row) => row.id === 'refresh')).have.properties({
        verdict: 'expected',
      });
      should(await page.isVisible('#node-config-check-apply')).be.false();
    } finally {
      delete rig.sim.variants.refreshFault;
    }
    // saving the node keeps what Apply set, as any field; undone for the tests after this one
    await page.click('#node-config-dialog-ok');
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
    should(await page.evaluate(() => RED.nodes.node('xassist-simulator').refreshPath)).equal(
      'none',
    );
    await page.evaluate(() => RED.history.pop());
    should(await page.evaluate(() => RED.nodes.node('xassist-simulator').refreshPath)).equal(
      'refresh',
    );
    should(consoleErrors).be.empty();
  });

  /** The rows of the check's table: the finding's id and verdict, its mark and title, the texts. */
  function reportRows() {
    return page.$$eval('#node-config-check-rows tr', (rows) =>
      rows.map((row) => {
        const cells = Array.from(row.querySelectorAll('td'));
        return {
          id: row.getAttribute('data-finding'),
          verdict: row.getAttribute('data-verdict'),
          mark: cells[0]?.textContent,
          markTitle: cells[0]?.getAttribute('title'),
          title: cells[1]?.textContent,
          found: cells[2]?.textContent,
          advice: cells[3]?.textContent,
        };
      }),
    );
  }

  /** Clicks Check server and resolves with the result once it is in. */
  async function checkResult(): Promise<string> {
    await page.evaluate(() => {
      (document.querySelector('#node-config-check-result') as HTMLElement).textContent = '';
    });
    await page.click('#node-config-check');
    await page.waitForFunction(() =>
      /^[✓✗]/.test(document.querySelector('#node-config-check-result')?.textContent ?? ''),
    );
    return (await page.textContent('#node-config-check-result')) ?? '';
  }

  /** The status text the editor shows on a node, once it is `text`. */
  async function statusShown(id: string, text: string): Promise<void> {
    await page.waitForFunction(
      ([nodeId, expected]) => RED.nodes.node(nodeId)?.status?.text === expected,
      [id, text],
      { timeout: 20_000 },
    );
  }

  it('shows the help text', async function () {
    await page.evaluate(() => RED.sidebar.help.show('xassist-create-call'));
    await page.waitForFunction(() => document.body.innerText.includes('Which value wins'));
    const help = await page.evaluate(() => document.body.innerText);
    should(help).containEql('Creates an xAssist call');
    await page.evaluate(() => RED.sidebar.help.show('xassist-escalate'));
    await page.waitForFunction(() => document.body.innerText.includes('Calls experts one after'));
  });

  it('shows events arriving in the debug sidebar, and saves a screenshot for the README', async function () {
    await page.evaluate(() => {
      RED.tray.close();
      RED.workspaces.show('tab-alarm');
      RED.sidebar.show('debug');
      RED.actions.invoke('core:zoom-out');
    });
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
    await page.waitForSelector('.red-ui-debug-msg-name:has-text("call event")', {
      timeout: 30_000,
    });
    // the palette filtered to this package's nodes, with their icons
    await page.click('#red-ui-palette-search input');
    await page.keyboard.type('xassist');
    await page.waitForSelector('.red-ui-palette-node[data-palette-type="inject"]', {
      state: 'hidden',
    });
    // the categories with no match slide up (a jQuery animation): the picture waits until they
    // are gone, rather than catch them half way, pushing this package's nodes down
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('#red-ui-palette-container .red-ui-palette-category'))
        .filter((category) => (category as HTMLElement).offsetParent !== null)
        .every((category) => category.id === 'red-ui-palette-container-xAssist'),
    );
    // every palette node whole in the picture: not cut off by the window or the palette's scroll
    const paletteTypes = [
      'xassist-create-call',
      'xassist-call-status',
      'xassist-escalate',
      'xassist-call-history',
      'xassist-assets',
      'xassist-duty',
    ];
    // (no named function inside: the page has no __name, which the test's compiler adds to one)
    const cutOff = await page.evaluate(
      (types) =>
        types.filter((type) => {
          const node = document.querySelector(`.red-ui-palette-node[data-palette-type="${type}"]`);
          if (!node || (node as HTMLElement).offsetParent === null) return true;
          const box = node.getBoundingClientRect();
          // the window, and every element around the node that clips what overflows it (the
          // body's overflow is the window's)
          const clips = [{ top: 0, left: 0, bottom: window.innerHeight, right: window.innerWidth }];
          for (let up = node.parentElement; up && up !== document.body; up = up.parentElement)
            if (getComputedStyle(up).overflowY !== 'visible')
              clips.push(up.getBoundingClientRect());
          return clips.some(
            (clip) =>
              box.top < clip.top ||
              box.left < clip.left ||
              box.bottom > clip.bottom ||
              box.right > clip.right,
          );
        }),
      paletteTypes,
    );
    should(cutOff).eql([], 'palette nodes not wholly in the screenshot');
    // nodes an earlier test added to this tab without deploying them are no part of the picture
    const deployed = (
      (await (await fetch(`${rig.nodeRed.url}flows`)).json()) as Array<{ id: string }>
    ).map((node) => node.id);
    await page.evaluate((ids) => {
      const kept = new Set(ids);
      for (const node of RED.nodes.filterNodes({ z: 'tab-alarm' }))
        if (!kept.has(node.id)) RED.nodes.remove(node.id);
      RED.view.redraw(true);
    }, deployed);
    // `npm run screenshot` writes it to docs/ for the README; a plain test run keeps the tree clean
    const file = process.env.XASSIST_SCREENSHOT ?? path.join(tmpdir(), 'xassist-editor.png');
    await page.screenshot({ path: file });
    should(statSync(file).size).be.above(10_000);
    should(consoleErrors).be.empty();
  });

  it("shows a connection problem on a node while it lasts, then the node's own status again", async function () {
    // the create-call node has made the demo's first call
    await statusShown('call-expert', 'call created');
    // tokens dead and the login down for a while: the next read cannot get a token
    rig.sim.tokens.revokeAccess();
    rig.sim.tokens.revokeRefresh();
    rig.sim.outage(1_500, { endpoints: ['login'] });
    await statusShown('call-expert', 'unreachable');
    await statusShown('call-expert', 'call created');
  });

  it('shows "wrong URL" on the nodes of a server set without its tenant path', async function () {
    const flows = (await (await fetch(`${rig.nodeRed.url}flows`)).json()) as Array<
      Record<string, unknown>
    >;
    const wrong = flows.map((node) =>
      node.type === 'xassist-server' ? { ...node, url: rig.sim.url } : node,
    );
    should(await rig.nodeRed.deploy(wrong as never)).equal(204);
    await statusShown('call-expert', 'wrong URL');
    await statusShown('escalate-experts', 'wrong URL');
    should(rig.nodeRed.output).match(
      /there is no xAssist login at http:\/\/127\.0\.0\.1:\d+\/login \(404\): check the tenant path/,
    );
  });

  it('keeps a server node saved before the shared-state settings existed valid, and its nodes', async function () {
    const valid = await page.evaluate(() => {
      // as an earlier version saved it: no redisUrl, redisPrefix, redisLease or redisTls
      RED.nodes.import([
        {
          id: 'saved-server',
          type: 'xassist-server',
          name: '',
          url: 'https://h.example/acme/',
          domain: 'ubimax',
          refreshPath: 'refresh',
          timeout: 10,
          tls: '',
          proxy: '',
        },
      ]);
      const node = RED.nodes.node('saved-server');
      RED.editor.validateNode(node);
      const result = node.valid;
      RED.nodes.remove('saved-server');
      return result;
    });
    should(valid).be.true();
  });
});

import type { Page } from 'playwright-core';
import { SCHEDULE_TYPE } from '../../src/editor/duty';

/* eslint-disable @typescript-eslint/no-explicit-any -- RED is the editor's global */
declare const RED: any;

/** A duty schedule as its config node saves it: three levels at Christmas, two on weekdays. */
export const PLANT7 = {
  id: 'd0e1f2a3b4c5d6e7',
  type: SCHEDULE_TYPE,
  name: 'Line 9 duty',
  server: '',
  zone: 'Europe/Berlin',
  shifts: [
    { days: 'mon,tue,wed,thu,fri', from: '06:00', to: '14:00', levels: ['expert1', 'expert2'] },
    { days: 'daily', from: '22:00', to: '06:00', levels: ['expert3'] },
  ],
  overrides: [{ from: '2026-12-24', to: '2026-12-26', cover: ['expert4', 'expert5', 'expert6'] }],
  otherwise: ['expert1'],
};

/** The first step row of the escalate dialog. */
export const FIRST_STEP = '#node-input-steps-list li:first-child';

export interface DutyStepChosen {
  /** what the row's duty type offers, as shown */
  choices: string[];
  /** what the row shows once the level is picked */
  shown: string;
  /** the node once the dialog is done */
  saved: { steps: unknown; valid: boolean };
}

/**
 * Imports PLANT7 and a new escalate node `id` on the active tab, opens its dialog, makes its
 * first row a duty step, picks `value` among the choices as a user does, gives the row `wait`
 * and clicks Done.
 */
export async function chooseDutyStep(
  page: Page,
  { id, server, value, wait = '' }: { id: string; server: string; value: string; wait?: string },
): Promise<DutyStepChosen> {
  await page.waitForSelector('.red-ui-tray', { state: 'detached' });
  await page.evaluate(
    ([schedule, escalate]) => {
      const z = RED.workspaces.active();
      RED.nodes.import([
        schedule,
        { ...escalate, type: 'xassist-escalate', z, wires: [[], [], []] },
      ]);
      RED.editor.edit(RED.nodes.node(escalate.id));
    },
    [PLANT7, { id, server }] as const,
  );
  await page.waitForSelector(`${FIRST_STEP} .red-ui-typedInput-type-select`);
  // each widget keeps its menus in the page: the one open is the one visible
  await menuOpened(page, `${FIRST_STEP} .red-ui-typedInput-type-select`, 'a[value="duty"]');
  await page.click('.red-ui-typedInput-options:visible a[value="duty"]');
  await page.click(`${FIRST_STEP} .red-ui-typedInput-option-trigger`);
  const choices = await page
    .locator('.red-ui-typedInput-options:visible a')
    .evaluateAll((items) => items.map((item) => item.textContent?.trim() ?? ''));
  await page.click(`.red-ui-typedInput-options:visible a[value="${value}"]`);
  const shown = await dutyStepShown(page);
  await page.fill(`${FIRST_STEP} .node-input-step-timeout`, wait);
  await page.click('#node-dialog-ok');
  await page.waitForSelector('.red-ui-tray', { state: 'detached' });
  const saved = await page.evaluate((nodeId) => {
    const node = RED.nodes.node(nodeId);
    return { steps: node.steps, valid: node.valid };
  }, id);
  return { choices, shown, saved };
}

/**
 * Clicks `trigger` until its menu shows `item`: on a loaded machine a click may land while the
 * tray still slides in, and open nothing (seen once in an archive run, and every dialog after it
 * then failed). A menu that truly lacks the item fails after the third click.
 */
async function menuOpened(page: Page, trigger: string, item: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.click(trigger);
    try {
      await page.waitForSelector(`.red-ui-typedInput-options:visible ${item}`, { timeout: 5_000 });
      return;
    } catch (err) {
      // no Escape: in the editor it would cancel the dialog
      if (attempt === 3) throw err;
    }
  }
}

/** What the open escalate dialog's first row shows for its duty step. */
export async function dutyStepShown(page: Page): Promise<string> {
  await page.waitForSelector(`${FIRST_STEP} .red-ui-typedInput-option-label`);
  return (await page.textContent(`${FIRST_STEP} .red-ui-typedInput-option-label`)) ?? '';
}

/** Removes the escalate node `id` and PLANT7 again. */
export async function removeDutyStep(page: Page, id: string): Promise<void> {
  await page.evaluate(
    ([nodeId, scheduleId]) => {
      RED.nodes.remove(nodeId);
      RED.nodes.remove(scheduleId);
    },
    [id, PLANT7.id] as const,
  );
}

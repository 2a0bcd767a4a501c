import type { Page } from 'playwright-core';

/* eslint-disable @typescript-eslint/no-explicit-any -- RED is the editor's global */
declare const RED: any;

/** Each node type's dialog and an input it shows once it is ready. */
export const DIALOG_FIELDS: Array<[string, string]> = [
  ['xassist-create-call', 'node-input-callTitle'],
  ['xassist-call-status', 'node-input-pollInterval'],
  ['xassist-escalate', 'node-input-steps-list'],
  ['xassist-call-history', 'node-input-limit'],
  ['xassist-assets', 'node-input-maxSize'],
  ['xassist-duty', 'node-input-schedule'],
];

/** Each config node type's dialog but the server's, and an input it shows once it is ready. */
export const CONFIG_DIALOG_FIELDS: Array<[string, string]> = [
  ['xassist-duty-schedule', 'node-config-input-shifts-list'],
];

/** Waits for the editor's palette to show the package's node types, once the page is loaded. */
export async function paletteTypes(page: Page): Promise<string[]> {
  await page.waitForSelector('.red-ui-palette-node[data-palette-type="xassist-create-call"]');
  const types = await page.$$eval('.red-ui-palette-node[data-palette-type^="xassist"]', (nodes) =>
    nodes.map((node) => node.getAttribute('data-palette-type') ?? ''),
  );
  return types.sort();
}

/**
 * Opens the edit dialog of a node of each type (one is added to the active tab for a type the
 * flows have none of, as a drop from the palette does), then the server's, and cancels each;
 * `whileOpen` runs in each once it is ready.
 */
export async function openEveryDialog(
  page: Page,
  serverId: string,
  whileOpen: (type: string) => Promise<void> = async () => undefined,
): Promise<void> {
  for (const [type, field] of DIALOG_FIELDS) {
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
    await page.evaluate(
      ([t, server]) => {
        if (!RED.nodes.filterNodes({ type: t }).length) {
          const z = RED.workspaces.active();
          RED.nodes.import([{ id: `new-${t}`, type: t, z, server, wires: [[]] }]);
        }
        RED.editor.edit(RED.nodes.filterNodes({ type: t })[0]);
      },
      [type, serverId],
    );
    await page.waitForSelector(`#${field}`, { state: 'attached' });
    await whileOpen(type);
    await page.click('#node-dialog-cancel');
  }
  for (const [type, field] of CONFIG_DIALOG_FIELDS) {
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
    // a new one, as the Add button of a config select opens it
    await page.evaluate((t) => RED.editor.editConfig('', t, '_ADD_'), type);
    await page.waitForSelector(`#${field} li`, { state: 'attached' });
    await whileOpen(type);
    await page.click('#node-config-dialog-cancel');
  }
  await page.waitForSelector('.red-ui-tray', { state: 'detached' });
  await page.evaluate((id) => RED.editor.editConfig('', 'xassist-server', id), serverId);
  await page.waitForSelector('#node-config-input-redisUrl', { state: 'attached' });
  await page.waitForSelector('#node-config-check', { state: 'attached' });
  await whileOpen('xassist-server');
  await page.click('#node-config-dialog-cancel');
  await page.waitForSelector('.red-ui-tray', { state: 'detached' });
}

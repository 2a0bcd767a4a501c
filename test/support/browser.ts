import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, headless, with the flags that keep it off the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** Pushes each error the page logs to its console, and each error it throws, onto `errors`. */
export function recordErrors(page: Page, errors: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
}

/**
 * A page of `browser` on the Node-RED editor at `url`, once its palette shows the package's
 * nodes; what the page logs as an error goes onto `errors`, when given.
 */
export async function openEditor(
  browser: Browser,
  url: string,
  {
    errors,
    width = 1400,
    height = 900,
  }: { errors?: string[]; width?: number; height?: number } = {},
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  if (errors) recordErrors(page, errors);
  await page.goto(url);
  await page.waitForSelector('.red-ui-palette-node[data-palette-type="xassist-create-call"]');
  return page;
}

import type { Page } from 'playwright-core';

/**
 * Page helpers for the regulator's console pages (also the operator's: supervision, incidents, complaints, the
 * ledger). Each works in zh and en; none asserts, the tests do.
 */

/** Opens a regulator page from the menu (by keyboard-reachable link) and waits for its heading. */
export async function openRegulatorPage(page: Page, menuLabel: RegExp, heading: RegExp): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: menuLabel }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** Waits until every supervision figure has loaded (its table or its error is shown, no spinner left). */
export async function supervisionLoaded(page: Page): Promise<void> {
  await page.locator('#figure-epsilon table').waitFor();
  await page
    .locator('#main .ant-spin-spinning')
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
  // Charts are drawn by lazily loaded ECharts: wait for the first one's SVG.
  await page
    .locator('[role="img"] svg')
    .first()
    .waitFor({ timeout: 10_000 })
    .catch(() => undefined);
}

/** Clicks a figure's CSV button and returns the file's name and text, read from Playwright's download event. */
export async function exportFigureCsv(
  page: Page,
  figure: string,
): Promise<{ filename: string; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`#figure-${figure}`).getByRole('button', { name: /CSV/ }).click(),
  ]);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return { filename: download.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
}

/** Decides a requested destruction in the row holding `reasonText`, by keyboard in the dialog. */
export async function decideDestruction(
  page: Page,
  reasonText: string,
  decision: 'approve' | 'refuse',
  reason: string,
): Promise<void> {
  const row = page.getByRole('row').filter({ hasText: reasonText });
  // Ant Design spaces out a two-character Chinese button label (审 批).
  await row.getByRole('button', { name: /审\s*批|Decide/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog
    .getByRole('radio', { name: decision === 'approve' ? /批准销毁|Approve/ : /不予批准|Refuse/ })
    .check();
  await dialog.getByLabel(/审批理由|Reason for the decision/).fill(reason);
  await dialog.getByRole('button', { name: /提\s*交|Submit/ }).click();
  await dialog.waitFor({ state: 'hidden' });
}

export interface LedgerCheckResult {
  leaf: boolean;
  root: boolean;
  signature: boolean;
  summary: string;
}

/** Searches the ledger by entry number, verifies that entry in the browser and reads each step's outcome. */
export async function verifyLedgerEntry(page: Page, leafIndex: number): Promise<LedgerCheckResult> {
  const field = page.getByLabel(/条目序号|Entry number/);
  await field.fill(String(leafIndex));
  await field.press('Enter');
  const button = page.getByRole('button', {
    name: new RegExp(`(第 ${leafIndex} 号条目|entry ${leafIndex})$`),
  });
  await button.waitFor();
  await button.focus();
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('ledger-verification');
  await panel
    .getByText(new RegExp(`第 ${leafIndex} 号条目|entry ${leafIndex}`))
    .first()
    .waitFor();
  const ok = async (name: string) =>
    (await panel.getByTestId(`ledger-check-${name}`).getAttribute('data-ok')) === 'true';
  return {
    leaf: await ok('leaf'),
    root: await ok('root'),
    signature: await ok('signature'),
    summary: await panel.getByRole('status').innerText(),
  };
}

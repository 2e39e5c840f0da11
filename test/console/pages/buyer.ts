import type { Page } from 'playwright-core';

/**
 * Page helpers for the buyer area of the console (catalogue, negotiations, computations, result keys), for any
 * browser test that walks these pages. Each works in either language (labels matched in zh and en).
 */

/**
 * Chooses `option` (its visible text) in the Ant Design select whose input has `id`, and waits until the select
 * shows it. A click that lands while the list is still animating can leave the old value: then it chooses again.
 */
export async function choose(page: Page, id: string, option: string | RegExp): Promise<void> {
  const shown = page
    .locator('.ant-select')
    .filter({ has: page.locator(`#${id}`) })
    .filter({ hasText: option });
  for (let attempt = 1; ; attempt++) {
    await page.locator(`#${id}`).click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
      .first()
      .click();
    try {
      await shown.waitFor({ timeout: 3_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/** Opens the catalogue and searches by keyboard; returns once the results carry a highlight. */
export async function searchCatalog(page: Page, baseUrl: string, query: string): Promise<void> {
  await page.goto(`${baseUrl}/catalog`);
  const box = page
    .getByRole('searchbox')
    .or(page.getByLabel(/搜索数据产品|Search data products/))
    .first();
  await box.fill(query);
  await box.press('Enter');
  await page.locator('main mark').first().waitFor();
}

/** The marked words of the catalogue's result titles. */
export const highlightedWords = (page: Page): Promise<string[]> =>
  page.locator('main table mark').allInnerTexts();

/** Opens a listing from the catalogue's results by (part of) its title. */
export async function openListing(page: Page, title: string | RegExp): Promise<void> {
  await page.getByRole('link', { name: title }).first().click();
  await page.waitForURL(/\/catalog\/[0-9a-f-]{36}$/);
  await page.locator('#apply-purpose').or(page.locator('main .ant-descriptions')).first().waitFor();
}

/** Fills the application on a listing page (purpose, and how many computations if given) and sends it. */
export async function applyForListing(
  page: Page,
  terms: { purpose: string; computations?: number },
): Promise<string> {
  await page.locator('#apply-purpose').fill(terms.purpose);
  if (terms.computations !== undefined)
    await page.locator('#apply-computations').fill(String(terms.computations));
  await page.getByRole('button', { name: /提交申请|Send application/ }).click();
  await page.waitForURL(/\/negotiations\/[0-9a-f-]{36}$/);
  return page.url().split('/').pop() ?? '';
}

/** The terms marked as changed in the negotiation page's side-by-side comparison. */
export const changedTerms = (page: Page): Promise<string[]> =>
  page.locator('.terms-diff tr[data-changed="true"] td:first-child').allInnerTexts();

/** Accepts the latest version on a negotiation page; returns the contract id it formed. */
export async function acceptLatestVersion(page: Page): Promise<string> {
  const button = page.getByRole('button', { name: /^(接受第 \d+ 版|Accept version \d+)$/ });
  await button.focus();
  await page.keyboard.press('Enter');
  const contract = page.getByTestId('contract-id');
  await contract.waitFor();
  return (await contract.innerText()).trim();
}

/** Creates a result key in the browser and registers its public key; returns the key id shown. */
export async function createResultKey(page: Page, baseUrl: string): Promise<string> {
  await page.goto(`${baseUrl}/result-keys`);
  await page.getByRole('button', { name: /创建并登记密钥|Create and register key/ }).click();
  const id = page.getByTestId('registered-key-id');
  await id.waitFor();
  return (await id.innerText()).trim();
}

/** Imports the CLI's key file with its passphrase and registers it; returns the key id shown. */
export async function importResultKeyFile(
  page: Page,
  baseUrl: string,
  file: Uint8Array,
  passphrase: string,
  expectedKeyId: string,
): Promise<void> {
  await page.goto(`${baseUrl}/result-keys`);
  await page.locator('#key-file').setInputFiles({
    name: 'exchange-result.key',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(file),
  });
  await page.locator('#key-passphrase').fill(passphrase);
  await page.getByRole('button', { name: /导入并登记|Import and register/ }).click();
  await page.getByTestId('registered-key-id').filter({ hasText: expectedKeyId }).waitFor({ timeout: 20_000 });
}

/** Runs a computation on the (first) active contract; returns its id (the page opens its detail). */
export async function runComputation(
  page: Page,
  baseUrl: string,
  c: {
    recipe: string;
    bindings: Record<string, string>;
    filter?: { column: string; op: RegExp; value: string };
  },
): Promise<string> {
  await page.goto(`${baseUrl}/computations`);
  await page.locator('#computation-recipe').waitFor();
  await choose(page, 'computation-recipe', c.recipe);
  for (const [role, column] of Object.entries(c.bindings)) await choose(page, `binding-${role}`, column);
  if (c.filter) {
    await page.locator('#filter-column').fill(c.filter.column);
    await choose(page, 'filter-op', c.filter.op);
    await page.locator('#filter-value').fill(c.filter.value);
  }
  await page.getByRole('button', { name: /提交计算|Run computation/ }).click();
  // Either the computation's page opens, or the form says why not (which then fails the test with the reason).
  const refused = page.getByTestId('computation-refused');
  await page.getByTestId('computation-state').or(refused).first().waitFor();
  if (await refused.isVisible()) throw new Error(`the computation was refused: ${await refused.innerText()}`);
  await page.waitForURL(/\/computations\/[0-9a-f-]{36}$/);
  return page.url().split('/').pop() ?? '';
}

/** On a computation's page: waits until it is released, opens the result in the browser, returns the plaintext. */
export async function openResult(page: Page, baseUrl: string, computationId: string): Promise<string> {
  await page.goto(`${baseUrl}/computations/${computationId}`);
  const button = page.getByRole('button', { name: /解密查看结果|Open the result/ });
  await button.waitFor({ timeout: 20_000 });
  await button.click();
  const plaintext = page.getByTestId('result-plaintext');
  await plaintext.waitFor();
  return plaintext.innerText();
}

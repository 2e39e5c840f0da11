import type { Page } from 'playwright-core';
import { pressButton } from '../../support/browser.js';

/** Page helpers for the merchant area (assets, listings); no test code. Sign-in and buttons: support/browser.ts. */

export interface AssetColumnInput {
  name: string;
  type: '整数' | '小数' | '文本' | '日期' | '布尔';
  unit?: string;
  personalInformation?: boolean;
  tradeSecret?: boolean;
  public?: boolean;
}

export interface AssetFormInput {
  title: string;
  description: string;
  industry: string;
  /** The radio labels, in Chinese: 公共数据 / 企业数据 / 个人数据. */
  dataKind: string;
  /** Public data only: 无条件共享 / 有条件共享 / 不予共享. */
  shareAttribute?: string;
  sourceMethod: string;
  sourceDescription: string;
  rowCount: number;
  start: string;
  end: string;
  columns: AssetColumnInput[];
  /** 国家安全 / 经济运行 / 社会秩序 / 公共利益 / 组织、个人合法权益. */
  affectedObject: string;
  /** 特别严重危害 / 严重危害 / 一般危害. */
  harm: string;
  /** 无条件开放 / 有条件开放 / 不予开放. */
  openAttribute: string;
}

/** The level the registration form shows live (DS 21 表1), as the API spells it. */
export async function liveLevel(page: Page): Promise<string | null> {
  return page.getByTestId('live-level').getAttribute('data-level');
}

/**
 * Waits until the form's live level is `level` (it follows the inputs after React re-renders), failing with the level
 * it shows instead when it does not get there.
 */
export async function expectLiveLevel(page: Page, level: string): Promise<void> {
  try {
    await page.locator(`[data-testid="live-level"][data-level="${level}"]`).waitFor({ timeout: 5_000 });
  } catch {
    throw new Error(`the form shows the level ${await liveLevel(page)}, not ${level}`);
  }
}

/** The open attributes the form shows as allowed (DE 31), as the API spells them. */
export async function liveOpenAttributes(page: Page): Promise<string[]> {
  return ((await page.getByTestId('live-open-attributes').getAttribute('data-attributes')) ?? '').split(',');
}

/** Waits until the form allows exactly these open attributes, failing with what it shows instead. */
export async function expectLiveOpenAttributes(page: Page, attributes: string[]): Promise<void> {
  const wanted = attributes.join(',');
  try {
    await page
      .locator(`[data-testid="live-open-attributes"][data-attributes="${wanted}"]`)
      .waitFor({ timeout: 5_000 });
  } catch {
    throw new Error(`the form allows ${(await liveOpenAttributes(page)).join(',')}, not ${wanted}`);
  }
}

/**
 * Fills the registration form on /merchant/assets/new (Chinese labels), leaving it unsaved so a test can look at the
 * live classification.
 */
export async function fillAssetForm(page: Page, input: AssetFormInput): Promise<void> {
  await page.getByLabel('资产名称').fill(input.title);
  await page.getByLabel('资产描述').fill(input.description);
  await page.getByLabel('行业代码').fill(input.industry);
  await page.getByRole('radio', { name: input.dataKind, exact: true }).check();
  if (input.shareAttribute)
    await page.getByRole('radio', { name: input.shareAttribute, exact: true }).check();
  await page.getByLabel('采集方式').fill(input.sourceMethod);
  await page.getByLabel('来源说明').fill(input.sourceDescription);
  await page.getByLabel('记录条数').fill(String(input.rowCount));
  await page.getByLabel('覆盖起始日').fill(input.start);
  await page.getByLabel('覆盖截止日').fill(input.end);
  for (const [index, column] of input.columns.entries()) {
    if (index > 0) await page.getByRole('button', { name: '添加字段' }).click();
    const group = page.getByRole('group', { name: `第 ${index + 1} 列` });
    await group.getByLabel('字段名').fill(column.name);
    if (column.unit) await group.getByLabel('单位').fill(column.unit);
    // Button-style radios hide their input: click the visible label, as a person does.
    await group.getByText(column.type, { exact: true }).click();
    if (column.personalInformation) await group.getByRole('checkbox', { name: '含个人信息' }).check();
    if (column.tradeSecret) await group.getByRole('checkbox', { name: '含商业秘密' }).check();
    if (column.public) await group.getByRole('checkbox', { name: '可公开展示' }).check();
  }
  await page.getByRole('radio', { name: input.affectedObject, exact: true }).check();
  await page.getByRole('radio', { name: input.harm, exact: true }).check();
  await page.getByRole('radio', { name: input.openAttribute, exact: true }).check();
}

/**
 * Saves the filled registration form as a draft (by keyboard), reads the level the exchange set, and submits the
 * draft for review. Returns the asset's id (from the detail page it lands on), the level the form showed live before
 * saving and the one the exchange answered.
 */
export async function saveAndSubmitAssetForm(
  page: Page,
): Promise<{ id: string; liveLevel: string | null; serverLevel: string | null }> {
  const live = await liveLevel(page);
  await pressButton(page, '保存草稿');
  const server = page.getByTestId('server-level');
  await server.waitFor();
  const serverLevel = await server.getAttribute('data-level');
  await pressButton(page, '提交审核');
  await page.waitForURL(/\/merchant\/assets\/[0-9a-f-]{36}$/);
  await page.getByTestId('asset-status').waitFor();
  const id = page.url().split('/').pop()!;
  return { id, liveLevel: live, serverLevel };
}

/** Registers an asset through the form on /merchant/assets/new: fills it, saves it and submits it for review. */
export async function registerAssetInBrowser(
  page: Page,
  baseUrl: string,
  input: AssetFormInput,
): Promise<{ id: string; liveLevel: string | null; serverLevel: string | null }> {
  await page.goto(`${baseUrl}/merchant/assets/new`);
  await page.getByRole('heading', { level: 1, name: '登记数据资产' }).waitFor();
  await fillAssetForm(page, input);
  return saveAndSubmitAssetForm(page);
}

export interface ListingFormInput {
  /** Part of the asset's title, to tick it. */
  assetTitle: string;
  title: string;
  description: string;
  /** 有条件无偿 / 政府指导定价 / 市场定价. */
  mode: string;
  /** Guided pricing: the band's category. */
  category?: string;
  /** Yuan as a person types it. */
  price: string;
  /** Recipe labels, e.g. 均值. */
  recipes: string[];
  /** Numeric column names the recipes may use. */
  columns: string[];
  minRows?: number;
}

/** Fills the new-listing form on /merchant/listings/new (Chinese labels) without sending it. */
export async function fillListingForm(page: Page, input: ListingFormInput): Promise<void> {
  await page.getByRole('checkbox', { name: new RegExp(input.assetTitle) }).check();
  await page.getByLabel('产品名称').fill(input.title);
  await page.getByLabel('产品说明').fill(input.description);
  await page.getByRole('radio', { name: input.mode, exact: true }).check();
  if (input.category) await page.getByRole('radio', { name: input.category, exact: true }).check();
  await page.getByLabel('价格（元）').fill(input.price);
  for (const recipe of input.recipes) await page.getByRole('checkbox', { name: recipe, exact: true }).check();
  for (const column of input.columns) await page.getByRole('checkbox', { name: column, exact: true }).check();
  if (input.minRows !== undefined) await page.getByLabel('最少行数 k').fill(String(input.minRows));
}

/** Creates a listing through the form and submits it for review; lands on the listings page. */
export async function createListingInBrowser(
  page: Page,
  baseUrl: string,
  input: ListingFormInput,
): Promise<void> {
  await page.goto(`${baseUrl}/merchant/listings/new`);
  await page.getByRole('heading', { level: 1, name: '新建挂牌' }).waitFor();
  await fillListingForm(page, input);
  await submitListingForm(page, input.title);
}

/** Sends the filled new-listing form (create, then submit for review, by keyboard); lands on the listings page. */
export async function submitListingForm(page: Page, title: string): Promise<void> {
  await pressButton(page, '创建并提交审核');
  await page.waitForURL(/\/merchant\/listings$/);
  await page.getByRole('row', { name: new RegExp(title) }).waitFor();
}

/** Publishes an approved listing from the listings page (the row's 上架 button, by keyboard). */
export async function publishListingInBrowser(page: Page, baseUrl: string, title: string): Promise<void> {
  await page.goto(`${baseUrl}/merchant/listings`);
  const row = page.getByRole('row', { name: new RegExp(title) });
  const publish = row.getByRole('button', { name: '上架' });
  await publish.focus();
  await page.keyboard.press('Enter');
  await row.getByText('已上架').waitFor();
}

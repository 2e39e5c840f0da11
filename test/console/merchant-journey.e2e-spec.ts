import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { mainPageChecks, openPage, pressButton, signIn, useConsoleWorld } from '../support/browser.js';
import { assetBody, registerAsset } from '../support/asset-fixtures.js';
import type { HttpClient } from '../support/http-client.js';
import { uniqueName, type Party } from '../support/world.js';
import {
  fillAssetForm,
  fillListingForm,
  expectLiveLevel,
  expectLiveOpenAttributes,
  publishListingInBrowser,
  saveAndSubmitAssetForm,
  submitListingForm,
  type AssetFormInput,
} from './pages/merchant.js';

jest.setTimeout(120_000);

const { t, world, browser } = useConsoleWorld();
let operator: HttpClient;
let merchant: Party;
const category = uniqueName('transit-');

beforeAll(async () => {
  operator = await world.operatorProgramme();
  merchant = await world.party(['merchant'], operator);
  const regulator = (await world.overseer('regulator')).client;
  // ¥1,000.00 to ¥5,000.00 for guided prices of this category.
  const band = await regulator.post('/v1/pricing-bands', {
    category,
    minFen: '100000',
    maxFen: '500000',
    publicResourceFeeBasisPoints: 500,
  });
  expect(band.status).toBe(201);
});

/** Public bus-card data: serious harm to economic operation makes it important data (DS 21 表1). */
const asset: AssetFormInput = {
  title: uniqueName('海东市公交刷卡客流'),
  description: '按站点、小时汇总的公交刷卡客流，不含卡号。',
  industry: 'transport',
  dataKind: '公共数据',
  shareAttribute: '有条件共享',
  sourceMethod: 'transaction-log',
  sourceDescription: '公交 IC 卡刷卡记录，按站点和小时汇总',
  rowCount: 52_000,
  start: '2025-01-01',
  end: '2025-12-31',
  columns: [
    { name: 'station', type: '文本', public: true },
    { name: 'boardings', type: '整数', unit: 'persons' },
  ],
  affectedObject: '经济运行',
  harm: '严重危害',
  openAttribute: '有条件开放',
};

describe('a merchant in the console', () => {
  it('registers an asset, lists it inside the band and publishes it once approved', async () => {
    const context = await browser.context('zh');
    const page = await context.newPage();
    const { problems, check } = mainPageChecks();
    await signIn(page, t.baseUrl, merchant.username);

    await page.getByRole('link', { name: '数据资产' }).click();
    await page.getByRole('heading', { level: 1, name: '数据资产' }).waitFor();
    await check(page, 'merchant-assets-zh');
    await pressButton(page, '登记新资产');
    await page.waitForURL(/\/merchant\/assets\/new$/);

    // The level follows the answers live: general harm to economic operation is general data, serious is important.
    await page.getByRole('radio', { name: '经济运行', exact: true }).check();
    await expectLiveLevel(page, 'general');
    await page.getByRole('radio', { name: '严重危害', exact: true }).check();
    await expectLiveLevel(page, 'important');
    // A column of personal information leaves only "not open" (DE 31); unticking it opens the choice again.
    await page.getByRole('group', { name: '第 1 列' }).getByRole('checkbox', { name: '含个人信息' }).check();
    await expectLiveOpenAttributes(page, ['not-open']);
    await page
      .getByRole('group', { name: '第 1 列' })
      .getByRole('checkbox', { name: '含个人信息' })
      .uncheck();
    await expectLiveOpenAttributes(page, ['unconditional', 'conditional', 'not-open']);

    await fillAssetForm(page, asset);
    await page
      .getByRole('region', { name: '分级结果（实时）' })
      .getByText('DS 21 表 1：对经济运行造成严重危害，属重要数据')
      .waitFor();
    await check(page, 'merchant-asset-form-zh');
    const registered = await saveAndSubmitAssetForm(page);
    expect(registered.liveLevel).toBe('important');
    expect(registered.serverLevel).toBe('important');
    const stored = await merchant.client.get(`/v1/assets/${registered.id}`);
    expect([stored.body.status, stored.body.level, stored.body.computedLevel]).toEqual([
      'submitted',
      registered.liveLevel,
      registered.liveLevel,
    ]);

    // The operator's security review (DS 26, important data) and approval, through the API.
    const reviewed = await operator.post(`/v1/assets/${registered.id}/security-review`, {
      passed: true,
      findings: '脱敏与访问控制符合要求',
    });
    expect(reviewed.status).toBe(201);
    const approved = await operator.post(`/v1/assets/${registered.id}/review`, {
      decision: 'approve',
      reason: '材料齐全',
    });
    expect(approved.status).toBe(200);

    await page.reload();
    await page.getByTestId('asset-status').waitFor();
    expect(await page.getByTestId('asset-status').getAttribute('data-status')).toBe('registered');
    await page.getByRole('cell', { name: '安全评估通过' }).waitFor();
    const download = page.waitForEvent('download');
    await pressButton(page, '下载登记证书');
    const saved = await download;
    expect(saved.suggestedFilename()).toBe(`certificate-${approved.body.registrationNumber}.json`);
    const certificate = JSON.parse(readFileSync(await saved.path(), 'utf8'));
    expect(certificate).toEqual((await merchant.client.get(`/v1/assets/${registered.id}/certificate`)).body);

    await page.getByRole('link', { name: '挂牌产品' }).click();
    await page.getByRole('heading', { level: 1, name: '挂牌产品' }).waitFor();
    await check(page, 'merchant-listings-zh');
    await pressButton(page, '新建挂牌');
    await page.waitForURL(/\/merchant\/listings\/new$/);
    const listing = {
      assetTitle: asset.title,
      title: uniqueName('公交客流统计'),
      description: '按站点计算的客流均值，原始数据不出域。',
      mode: '政府指导定价',
      category,
      price: '9000',
      recipes: ['均值'],
      columns: ['boardings'],
    };
    await fillListingForm(page, listing);
    // Before anything is sent: the band, the price refused against it, the delivery the data allows.
    await page.getByTestId('pricing-band').getByText('¥1,000.00 – ¥5,000.00', { exact: false }).waitFor();
    await page.getByText('DE 41: 价格超出监管方公布的指导价区间').waitFor();
    expect(await page.getByRole('button', { name: '创建并提交审核' }).isDisabled()).toBe(true);
    expect(await page.getByTestId('allowed-delivery').getAttribute('data-modes')).toBe('compute');
    expect(await page.getByRole('radio', { name: '文件交付' }).isDisabled()).toBe(true);
    await page.getByLabel('价格（元）').fill('1500');
    await page.getByText('DE 41: 价格超出监管方公布的指导价区间').waitFor({ state: 'detached' });
    await check(page, 'merchant-listing-form-zh');
    await submitListingForm(page, listing.title);

    const mine = await merchant.client.get('/v1/listings');
    const made = (
      mine.body.items as { id: string; title: string; status: string; pricing: { priceFen: string } }[]
    ).find((l) => l.title === listing.title)!;
    expect([made.status, made.pricing.priceFen]).toEqual(['submitted', '150000']);
    const listingApproved = await operator.post(`/v1/listings/${made.id}/review`, {
      decision: 'approve',
      reason: '符合挂牌要求',
    });
    expect(listingApproved.status).toBe(200);

    await publishListingInBrowser(page, t.baseUrl, listing.title);
    expect((await merchant.client.get(`/v1/listings/${made.id}`)).body.status).toBe('published');

    await page.getByRole('link', { name: '收入与余额' }).click();
    await page.getByRole('heading', { level: 1, name: '收入与余额' }).waitFor();
    await page.getByTestId('balance-receivable').waitFor();
    await check(page, 'merchant-balances-zh');
    await page.getByRole('link', { name: '数据集与计算任务' }).click();
    await page.getByRole('heading', { level: 1, name: '数据集与计算任务' }).waitFor();
    await page.getByText('npx exchange dataset upload').waitFor();
    await check(page, 'merchant-datasets-zh');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('asks to destroy a general asset’s data from its page: destroyed at once, and the page says so', async () => {
    const general = await registerAsset(merchant.client, operator, assetBody(merchant.organisationId));
    const context = await browser.context('zh');
    const page = await context.newPage();
    const { problems, check } = mainPageChecks();
    await signIn(page, t.baseUrl, merchant.username);
    await openPage(page, t.baseUrl, `/merchant/assets/${general.id}`);
    await page.getByRole('heading', { level: 2, name: '数据销毁（第三十七条）' }).waitFor();
    await page.getByText('一般数据：提交后平台立即销毁').waitFor();
    await check(page, 'merchant-asset-destruction-zh');
    await page.getByLabel('销毁理由').fill('合同目的已实现，申请销毁平台所存数据。');
    await page.getByRole('button', { name: '申请销毁' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '申请销毁' }).click();
    const latest = page.getByTestId('destruction-latest');
    await latest.getByText('已销毁', { exact: true }).waitFor();
    await page.locator('[data-testid="asset-status"][data-status="destroyed"]').waitFor();
    const made = (await merchant.client.get(`/v1/destructions?assetId=${general.id}`)).body.items;
    expect(made).toEqual([
      expect.objectContaining({ state: 'executed', reason: '合同目的已实现，申请销毁平台所存数据。' }),
    ]);
    // Nothing more to ask for a destroyed asset.
    expect(await page.getByRole('button', { name: '申请销毁' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('files the yearly risk report from the draft prefilled with its important data (DS 60, 63)', async () => {
    const draft = (await merchant.client.get('/v1/risk-reports/draft')).body;
    expect(draft.importantData.length).toBeGreaterThan(0); // the important asset registered above
    const context = await browser.context('zh');
    const page = await context.newPage();
    const { problems, check } = mainPageChecks();
    await signIn(page, t.baseUrl, merchant.username);
    await page.getByRole('navigation').getByRole('link', { name: '年度风险评估报告' }).click();
    await page.getByRole('heading', { level: 1, name: '年度风险评估报告' }).waitFor();
    await page.getByTestId('risk-due').waitFor();
    // The catalogue's lines are prefilled, each editable.
    await page.locator('#risk_importantData_0_category').waitFor();
    expect(await page.locator('#risk_importantData_0_category').inputValue()).toBe(
      draft.importantData[0].category,
    );
    await page.getByLabel('数据处理活动').fill('按站点、小时汇总刷卡记录，仅以密文提供计算服务。');
    await page.getByLabel('风险 1').fill('汇总表可能被关联推断');
    await page.getByLabel('应对措施').fill('发布前执行最小行数与差分隐私检查');
    await page.getByLabel('评估结论').fill('风险可控，措施有效。');
    await check(page, 'security-risk-report-zh');
    await page.getByRole('button', { name: '报送报告' }).click();
    await page.getByTestId('risk-filed').waitFor();
    const filed = (await merchant.client.get('/v1/risk-reports')).body.items[0];
    expect(filed).toMatchObject({
      periodYear: draft.periodYear,
      assessorKind: 'self',
      importantData: draft.importantData,
      processingActivities: '按站点、小时汇总刷卡记录，仅以密文提供计算服务。',
      risks: [
        {
          risk: '汇总表可能被关联推断',
          measure: '发布前执行最小行数与差分隐私检查',
          effectiveness: 'effective',
        },
      ],
      conclusion: '风险可控，措施有效。',
    });
    await page.getByRole('cell', { name: String(draft.periodYear), exact: true }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the main pages in English, nothing untranslated', async () => {
    const context = await browser.context('en');
    const page = await context.newPage();
    const { problems, check } = mainPageChecks();
    await signIn(page, t.baseUrl, merchant.username);
    const visit = async (path: string, heading: string, name: string, ready?: (p: Page) => Promise<void>) => {
      await openPage(page, t.baseUrl, path, heading);
      await ready?.(page);
      await check(page, name);
    };
    await visit('/merchant/assets', 'Data assets', 'merchant-assets-en', (p) =>
      p.getByRole('link', { name: asset.title }).waitFor(),
    );
    await visit('/merchant/assets/new', 'Register a data asset', 'merchant-asset-form-en', async (p) => {
      await p.getByRole('radio', { name: 'national security', exact: true }).check();
      await p.getByRole('radio', { name: 'serious harm', exact: true }).check();
      await expectLiveLevel(p, 'core');
      await p.getByText('Core data may be registered but never listed').waitFor();
    });
    await visit('/merchant/listings', 'Listings', 'merchant-listings-en', (p) =>
      p.getByText('Published').waitFor(),
    );
    await visit('/merchant/listings/new', 'New listing', 'merchant-listing-form-en', async (p) => {
      await p.getByRole('checkbox', { name: new RegExp(asset.title) }).check();
      await p.getByRole('radio', { name: 'Government-guided', exact: true }).check();
      await p.getByRole('radio', { name: category, exact: true }).check();
      await p.getByLabel('Price (yuan)').fill('6000');
      await p.getByText("DE 41: the price lies outside the regulator's band").waitFor();
    });
    await visit('/merchant/balances', 'Revenue and balances', 'merchant-balances-en');
    await visit('/merchant/datasets', 'Datasets and computations', 'merchant-datasets-en');
    const body = await page.locator('#main').innerText();
    expect(body).not.toMatch(/[\u4e00-\u9fff]/);
    expect(problems).toEqual([]);
    await context.close();
  });
});

import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import type { INestApplicationContext } from '@nestjs/common';
import { UnitOfWork } from '@app/database';
import { LedgerRecorder } from '@app/ledger';
import {
  Account,
  ApiTokenService,
  AuthenticationService,
  Organisation,
  OrganisationService,
  RegistrationService,
  ROLES_NEEDING_SECOND_FACTOR,
  creditCodeCheckCharacter,
  hashPassword,
  newTotpSecret,
  otpauthUri,
  type Principal,
  type Role,
} from '@app/identity';
import { ApiClient } from '../api-client.js';
import { withDomain } from '../domain-context.js';
import { seedDemoMarket, type DemoMarketReport } from './demo-market.js';
import { seedDemoTrade, type DemoTradeReport } from './demo-trade.js';
import { seedDemoCompute, type DemoComputeReport } from './demo-compute.js';
import { seedDemoOversight, type DemoOversightReport } from './demo-oversight.js';

const POWER_LISTING = '园区用电景气指数计算服务';
const POWER_ASSET = '工业园区企业用电负荷曲线（15 分钟）';

/** The compute demo in words: each computation's state, and what to run next. */
function computeLines(c: DemoComputeReport): string {
  if (!c.contractId) return 'compute\n  (no compute demo)';
  const lines = [
    `compute\n  contract ${c.contractId} (per computation) on the power-load listing, dataset ${c.datasetId}`,
    ...c.computations.map(
      (k) =>
        `  ${k.state.padEnd(9)} ${k.recipe.padEnd(9)} ${k.id}${k.reasonCode ? ` (${k.reasonCode})` : ''}`,
    ),
  ];
  if (c.skipped) lines.push(`  no computations: ${c.skipped}`);
  lines.push(
    `  keys (passphrase in ${c.keyFiles.passphraseFile}): merchant ${c.keyFiles.merchant}, buyer ${c.keyFiles.buyerResult}`,
    `  open a result: EXCHANGE_TOKEN=<buyer token> npx exchange compute result <id> --key ${c.keyFiles.buyerResult}`,
    `  release the waiting one: EXCHANGE_TOKEN=<merchant token> npx exchange agent --once --keys ${c.keyFiles.merchant}`,
  );
  return lines.join('\n');
}

interface DemoParty {
  role: Role;
  username: string;
  name: string;
  codeBody: string;
  scopes: string[];
}

/**
 * A small world for the README: fixed names so the command can run again; each run issues fresh tokens, passwords
 * and (for the operator and regulator) TOTP seeds, and prints them so a newcomer can sign in as each role.
 */
const DEMO: DemoParty[] = [
  {
    role: 'operator',
    username: 'demo-operator',
    name: '海东数据交易中心（演示）',
    codeBody: '12632100MB1D00001',
    scopes: ['operator:write'],
  },
  {
    role: 'regulator',
    username: 'demo-regulator',
    name: '海东市数据局（演示）',
    codeBody: '11632100MB1D00002',
    scopes: ['regulator:read'],
  },
  {
    role: 'merchant',
    username: 'demo-merchant',
    name: '高原数据科技有限公司（演示）',
    codeBody: '91632100MA7D00003',
    scopes: ['merchant:write'],
  },
  {
    role: 'merchant',
    username: 'demo-partner',
    name: '青海河湟医疗数据服务有限公司（演示）',
    codeBody: '91632100MA7D00005',
    scopes: ['merchant:write'],
  },
  {
    role: 'merchant',
    username: 'demo-hospital',
    name: '海东市第一人民医院（演示）',
    codeBody: '12632100MB1D00006',
    scopes: ['merchant:write'],
  },
  {
    role: 'buyer',
    username: 'demo-buyer',
    name: '河湟智能制造有限公司（演示）',
    codeBody: '91632100MA7D00004',
    scopes: ['buyer:write'],
  },
];

/** Whole fen as yuan with two decimals, without floating point. */
const yuan = (fen: bigint): string => `${fen / 100n}.${(fen % 100n).toString().padStart(2, '0')}`;

const principalOf = (account: Account, organisation: Organisation): Principal => ({
  accountId: account.id,
  organisationId: organisation.id,
  roles: organisation.roles,
  writeRoles: organisation.roles,
  via: 'session',
  secondFactorDone: true,
  credentialId: 'cli',
});

async function ensureParty(
  context: INestApplicationContext,
  party: DemoParty,
  operator: Principal | null,
): Promise<{ account: Account; organisation: Organisation }> {
  const em = context.get(MikroORM).em.fork();
  const existing = await em.findOne(Account, { username: party.username });
  if (existing)
    return {
      account: existing,
      organisation: await em.findOneOrFail(Organisation, { id: existing.organisationId }),
    };
  const newParty = {
    kind: 'organisation' as const,
    name: party.name,
    identifier: party.codeBody + creditCodeCheckCharacter(party.codeBody),
    roles: [party.role],
    admin: {
      username: party.username,
      password: randomBytes(18).toString('base64url'),
      displayName: party.name,
    },
  };
  const registration = context.get(RegistrationService);
  if (party.role === 'operator' || party.role === 'regulator')
    return registration.registerAdmitted(newParty, operator);
  const { account, organisation } = await registration.signUp(newParty, 'demo-seed');
  return {
    account,
    organisation: await context.get(OrganisationService).decide(operator!, organisation.id, 'admit', 'demo'),
  };
}

/**
 * Gives a demo account a fresh random password and, for an operator or regulator, a fresh TOTP seed already
 * enabled: the demo's credentials are printed, so they are never a real account's. Recorded on the ledger.
 */
async function resetDemoCredentials(
  context: INestApplicationContext,
  account: Account,
  role: Role,
): Promise<{ password: string; totpSeed: string | null }> {
  const password = randomBytes(18).toString('base64url');
  const passwordHash = await hashPassword(password);
  const totpSeed = ROLES_NEEDING_SECOND_FACTOR.includes(role) ? newTotpSecret() : null;
  const sealed = totpSeed ? context.get(AuthenticationService).sealTotpSecret(account.id, totpSeed) : null;
  await context.get(UnitOfWork).run(async (em) => {
    await em.nativeUpdate(
      Account,
      { id: account.id },
      {
        passwordHash,
        failedLogins: 0,
        lockedUntil: null,
        totpSecretSealed: sealed,
        totpEnabled: sealed !== null,
        totpLastStep: null,
      },
    );
    await context.get(LedgerRecorder).record(em, [
      {
        actor: { accountId: null, organisationId: null },
        action: 'account.demoCredentialsSet',
        subjectIds: [account.id],
        payload: { totp: sealed !== null },
      },
    ]);
  });
  return { password, totpSeed };
}

export function demoCommands(program: Command): void {
  const demo = program.command('demo').description('a demonstration world on the local database');
  demo
    .command('seed')
    .description(
      'create a demo operator, regulator, three suppliers and a buyer (admitted), each with a fresh password, API ' +
        'token and, for the operator and regulator, TOTP seed; then a small market: a pricing band, four ' +
        'registered assets and a published listing in each pricing mode (demo only: refused with NODE_ENV=production)',
    )
    .option('--json', 'print one JSON document for scripts')
    .action(async (options: { json?: boolean }) => {
      const { rows, market, trade, computeDemo, oversight } = await withDomain(async (context, config) => {
        if (config.env === 'production') {
          throw new Error('demo seed sets printed passwords, so it refuses to run with NODE_ENV=production');
        }
        const out: {
          role: Role;
          organisationId: string;
          organisation: string;
          username: string;
          password: string;
          totpSeed: string | null;
          otpauthUri: string | null;
          token: string;
        }[] = [];
        let operator: Principal | null = null;
        const principals = new Map<string, Principal>();
        for (const party of DEMO) {
          const { account, organisation } = await ensureParty(context, party, operator);
          const principal = principalOf(account, organisation);
          principals.set(party.username, principal);
          if (party.role === 'operator') operator = principal;
          const { password, totpSeed } = await resetDemoCredentials(context, account, party.role);
          // Overseer tokens must expire (at most 30 days); the demo's all do.
          const { token } = await context
            .get(ApiTokenService)
            .create(principal, { name: 'demo seed', scopes: party.scopes, expiresInDays: 30 });
          out.push({
            role: party.role,
            organisationId: organisation.id,
            organisation: organisation.name,
            username: account.username,
            password,
            totpSeed,
            otpauthUri: totpSeed ? otpauthUri('Data Exchange (demo)', account.username, totpSeed) : null,
            token,
          });
        }
        const market: DemoMarketReport = await seedDemoMarket(context, {
          operator: principals.get('demo-operator')!,
          regulator: principals.get('demo-regulator')!,
          merchant: principals.get('demo-merchant')!,
          partner: principals.get('demo-partner')!,
          hospital: principals.get('demo-hospital')!,
        });
        const transport = market.listings.find((l) => l.delivery === 'file' && l.priceFen !== '0')!;
        const trade: DemoTradeReport = await seedDemoTrade(
          context,
          {
            operator: principals.get('demo-operator')!,
            merchant: principals.get('demo-merchant')!,
            buyer: principals.get('demo-buyer')!,
          },
          { id: transport.id, title: transport.title, priceFen: BigInt(transport.priceFen) },
        );
        const power = market.listings.find((l) => l.title === POWER_LISTING)!;
        const computeDemo: DemoComputeReport = await seedDemoCompute(
          context,
          {
            operator: principals.get('demo-operator')!,
            merchant: principals.get('demo-merchant')!,
            buyer: principals.get('demo-buyer')!,
          },
          {
            id: power.id,
            assetId: market.assets.find((a) => a.title === POWER_ASSET)!.id,
            priceFen: BigInt(power.priceFen),
          },
          config.dataDir,
          config.redis !== null,
        );
        const oversight: DemoOversightReport = await seedDemoOversight(
          context,
          { operator: principals.get('demo-operator')!, merchant: principals.get('demo-merchant')! },
          {
            importantAssetId: market.assets.find((a) => a.level === 'important')!.id,
            complainedListingId: market.listings.find((l) => l.priceFen === '0')!.id,
          },
        );
        return { rows: out, market, trade, computeDemo, oversight };
      });
      if (options.json) {
        console.log(
          JSON.stringify({ parties: rows, market, trade, compute: computeDemo, oversight }, null, 2),
        );
        return;
      }
      for (const row of rows)
        console.log(
          `${row.role.padEnd(9)} ${row.username.padEnd(15)} ${row.organisation}\n` +
            `          password ${row.password}\n` +
            (row.totpSeed ? `          totp seed ${row.totpSeed}  (${row.otpauthUri})\n` : '') +
            `          token ${row.token}`,
        );
      console.log('\nassets');
      for (const asset of market.assets)
        console.log(
          `  ${asset.registrationNumber ?? '(unregistered)'}  ${asset.level.padEnd(9)} ${asset.title}`,
        );
      console.log('listings');
      for (const listing of market.listings)
        console.log(`  ${listing.status.padEnd(9)} ${listing.pricing}  ${listing.title}  (${listing.id})`);
      console.log(
        `trade\n  contract ${trade.contractId}: ${trade.state}, escrow ${trade.escrow}, ` +
          `${yuan(BigInt(trade.amountFen))} 元 (${trade.amountFen} fen), on ${trade.listingTitle}\n` +
          '  signed by both parties and countersigned, funded, its file downloaded by the buyer, delivery confirmed ' +
          'and the escrow released to the rights holders after the fees\n' +
          `  see it with: EXCHANGE_TOKEN=<buyer token> npx exchange contract show ${trade.contractId}`,
      );
      console.log(computeLines(computeDemo));
      console.log(oversightLines(oversight));
      console.log(
        '\nDemo only: these passwords and seeds are printed, so never run this on real accounts. Operator and ' +
          'regulator sign-ins need a TOTP code from the seed (add it to an authenticator app).',
      );
      // The API this CLI would call: EXCHANGE_API_URL, else PORT on this machine.
      console.log(`\nTry: curl -H "Authorization: Bearer <token>" ${new ApiClient().baseUrl}/v1/auth/me`);
    });
}

/** The oversight part of the seed's report, for people. */
function oversightLines(o: DemoOversightReport): string {
  return (
    'oversight\n' +
    `  incident ${o.incident.id}: level ${o.incident.level}, ${o.incident.state}` +
    (o.incident.summaryDueAt ? `, its DS 16 summary due ${o.incident.summaryDueAt}` : '') +
    '\n' +
    `  risk report ${o.riskReport.id} for ${o.riskReport.periodYear} (sha256 ${o.riskReport.contentSha256})\n` +
    `  complaint ${o.complaint.id}: ${o.complaint.state}` +
    (o.complaint.receiptCode
      ? `; follow it without an account: POST /v1/complaints/lookup {"receiptCode":"${o.complaint.receiptCode}"}`
      : '') +
    '\n  regulators see them at /v1/incidents, /v1/risk-reports, /v1/complaints and /v1/supervision/*'
  );
}

import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import type { INestApplicationContext } from '@nestjs/common';
import {
  Account,
  ApiTokenService,
  Organisation,
  OrganisationService,
  RegistrationService,
  creditCodeCheckCharacter,
  type Principal,
  type Role,
} from '@app/identity';
import { ApiClient } from '../api-client.js';
import { withDomain } from '../domain-context.js';

interface DemoParty {
  role: Role;
  username: string;
  name: string;
  codeBody: string;
  scopes: string[];
}

/** A small world for the README: fixed names so the command can run again; each run issues fresh tokens. */
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
    role: 'buyer',
    username: 'demo-buyer',
    name: '河湟智能制造有限公司（演示）',
    codeBody: '91632100MA7D00004',
    scopes: ['buyer:write'],
  },
];

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
  const { account, organisation } = await registration.signUp(newParty);
  return {
    account,
    organisation: await context.get(OrganisationService).decide(operator!, organisation.id, 'admit', 'demo'),
  };
}

export function demoCommands(program: Command): void {
  const demo = program.command('demo').description('a demonstration world on the local database');
  demo
    .command('seed')
    .description(
      'create a demo operator, regulator, merchant and buyer (admitted), each with a fresh API token',
    )
    .option('--json', 'print one JSON document for scripts')
    .action(async (options: { json?: boolean }) => {
      const rows = await withDomain(async (context) => {
        const out: {
          role: Role;
          organisationId: string;
          organisation: string;
          username: string;
          token: string;
        }[] = [];
        let operator: Principal | null = null;
        for (const party of DEMO) {
          const { account, organisation } = await ensureParty(context, party, operator);
          const principal = principalOf(account, organisation);
          if (party.role === 'operator') operator = principal;
          const { token } = await context
            .get(ApiTokenService)
            .create(principal, { name: 'demo seed', scopes: party.scopes });
          out.push({
            role: party.role,
            organisationId: organisation.id,
            organisation: organisation.name,
            username: account.username,
            token,
          });
        }
        return out;
      });
      if (options.json) {
        console.log(JSON.stringify({ parties: rows }, null, 2));
        return;
      }
      for (const row of rows)
        console.log(
          `${row.role.padEnd(9)} ${row.username.padEnd(15)} ${row.organisation}\n          token ${row.token}`,
        );
      // The API this CLI would call: EXCHANGE_API_URL, else PORT on this machine.
      console.log(`\nTry: curl -H "Authorization: Bearer <token>" ${new ApiClient().baseUrl}/v1/auth/me`);
    });
}

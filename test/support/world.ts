import { randomInt } from 'node:crypto';
import { RegistrationService, creditCodeCheckCharacter, residentIdCheckDigit, totpAt } from '@app/identity';
import { HttpClient } from './http-client.js';
import type { TestApp } from './test-app.js';

export const PASSWORD = 'correct horse battery staple';
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
let counter = 0;

/** A fresh, valid unified social credit code (fixture data; validation itself is tested on published codes). */
export function newCreditCode(): string {
  let body = '91' + String(110000 + randomInt(800000)).padStart(6, '0');
  for (let i = 0; i < 9; i++) body += ALPHABET[randomInt(ALPHABET.length)];
  return body + creditCodeCheckCharacter(body);
}

export function newResidentId(): string {
  const body = `110105${1960 + randomInt(40)}0${1 + randomInt(9)}1${randomInt(10)}${String(randomInt(1000)).padStart(3, '0')}`;
  return body + residentIdCheckDigit(body);
}

export const uniqueName = (prefix: string): string =>
  `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

export interface Party {
  organisationId: string;
  accountId: string;
  username: string;
  client: HttpClient;
}

export class World {
  readonly anonymous: HttpClient;

  constructor(readonly t: TestApp) {
    this.anonymous = new HttpClient(t.baseUrl);
  }

  async login(username: string, totp?: string): Promise<HttpClient> {
    const reply = await this.anonymous.post('/v1/auth/login', {
      username,
      password: PASSWORD,
      ...(totp ? { totp } : {}),
    });
    if (reply.status !== 200)
      throw new Error(`login ${username}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return this.anonymous.as(reply.body.token);
  }

  /** Signs up through the API and, when an operator is given, has it admitted. */
  async party(
    roles: ('merchant' | 'buyer')[],
    operator?: HttpClient,
    kind: 'organisation' | 'person' = 'organisation',
  ): Promise<Party> {
    const username = uniqueName('u');
    const reply = await this.anonymous.post('/v1/organisations', {
      kind,
      name: `Party ${username}`,
      ...(kind === 'organisation' ? { creditCode: newCreditCode() } : { idNumber: newResidentId() }),
      roles,
      admin: { username, password: PASSWORD, displayName: username },
    });
    if (reply.status !== 201) throw new Error(`sign-up: ${reply.status} ${JSON.stringify(reply.body)}`);
    const organisationId = reply.body.organisation.id as string;
    if (operator) {
      const admitted = await operator.post(`/v1/organisations/${organisationId}/admission`, {
        decision: 'admit',
      });
      if (admitted.status !== 200)
        throw new Error(`admit: ${admitted.status} ${JSON.stringify(admitted.body)}`);
    }
    return { organisationId, accountId: reply.body.account.id, username, client: await this.login(username) };
  }

  /** An operator as a programme: an API token, which outlives a session (30 days, the most an overseer's may) and a logout. */
  async operatorProgramme(): Promise<HttpClient> {
    const session = (await this.overseer('operator')).client;
    const token = await session.post('/v1/tokens', {
      name: 'tests',
      scopes: ['operator:write'],
      expiresInDays: 30,
    });
    if (token.status !== 201) throw new Error(`token: ${token.status} ${JSON.stringify(token.body)}`);
    return this.anonymous.as(token.body.token);
  }

  /**
   * An operator or regulator body created the way the CLI bootstraps one, signed in with TOTP enrolled:
   * returns its client and TOTP seed.
   */
  async overseer(role: 'operator' | 'regulator'): Promise<Party & { totpSecret: string }> {
    const username = uniqueName(role.slice(0, 3));
    const { organisation, account } = await this.t.app.get(RegistrationService).registerAdmitted(
      {
        kind: 'organisation',
        name: `${role} ${username}`,
        identifier: newCreditCode(),
        roles: [role],
        admin: { username, password: PASSWORD, displayName: username },
      },
      null,
    );
    const pending = await this.login(username);
    const enrolment = await pending.post('/v1/auth/totp');
    if (enrolment.status !== 201)
      throw new Error(`enrol: ${enrolment.status} ${JSON.stringify(enrolment.body)}`);
    const secret = enrolment.body.secret as string;
    const confirmed = await pending.post('/v1/auth/totp/confirm', {
      code: totpAt(secret, this.t.clock.now()),
    });
    if (confirmed.status !== 204)
      throw new Error(`confirm: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
    return {
      organisationId: organisation.id,
      accountId: account.id,
      username,
      client: pending,
      totpSecret: secret,
    };
  }
}

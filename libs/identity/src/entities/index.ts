import { Account } from './account.entity.js';
import { ApiToken } from './api-token.entity.js';
import { Organisation } from './organisation.entity.js';
import { Session } from './session.entity.js';

export const IDENTITY_ENTITIES = [Organisation, Account, Session, ApiToken];
export { Account, ApiToken, Organisation, Session };
export * from './organisation.entity.js';

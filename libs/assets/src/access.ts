import type { Principal } from '@app/identity';
import type { Asset } from './entities/asset.entity.js';

export const seesAll = (p: Principal): boolean =>
  p.roles.includes('operator') || p.roles.includes('regulator');

const PRIVATE_STATUSES = new Set(['draft', 'submitted', 'changes-requested', 'rejected']);

/**
 * Who may read an asset: its registrant; operators and regulators; the holders of its rights once it is registered
 * (a draft is its registrant's alone). Anyone else is told it does not exist.
 */
export function mayRead(p: Principal, asset: Asset): boolean {
  if (seesAll(p) || asset.registrantId === p.organisationId) return true;
  if (PRIVATE_STATUSES.has(asset.status)) return false;
  return asset.rights.some((r) => r.organisationId === p.organisationId);
}

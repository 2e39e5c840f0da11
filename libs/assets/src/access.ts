import { isOverseer, type Principal } from '@app/identity';
import type { Asset } from './entities/asset.entity.js';

const PRIVATE_STATUSES = new Set(['draft', 'submitted', 'changes-requested', 'rejected']);

/**
 * Who may read an asset: its registrant; operators and regulators; the holders of its rights once it is registered
 * (a draft is its registrant's alone), and assessors once registered. Anyone else is told it does not exist.
 */
export function mayRead(p: Principal, asset: Asset): boolean {
  if (isOverseer(p) || asset.registrantId === p.organisationId) return true;
  if (PRIVATE_STATUSES.has(asset.status)) return false;
  // Assessors value registered assets for whoever engages them (DE 42): they read what was registered.
  if (p.roles.includes('assessor')) return true;
  return asset.rights.some((r) => r.organisationId === p.organisationId);
}

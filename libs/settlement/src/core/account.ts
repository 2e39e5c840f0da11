/**
 * The accounts of the exchange. Every organisation has three, by purpose: `available` (money it may spend or
 * withdraw), `escrow` (money it paid for contracts, held until delivery) and `receivable` (its share of proceeds,
 * awaiting payout). The platform has its fee account and the public-finance account for the public-resource fee
 * (DE 36); `external` stands for the world outside the platform, the other side of every deposit and withdrawal.
 */
export type OrganisationPurpose = 'available' | 'escrow' | 'receivable';
export type SystemPurpose = 'platform_fee' | 'public_finance' | 'external';
export type AccountPurpose = OrganisationPurpose | SystemPurpose;

export const ORGANISATION_PURPOSES: readonly OrganisationPurpose[] = ['available', 'escrow', 'receivable'];

export interface AccountRef {
  /** Deterministic: `<purpose>:<organisationId>` for an organisation's, the purpose alone for the platform's. */
  id: string;
  organisationId: string | null;
  purpose: AccountPurpose;
}

/**
 * TigerBeetle's `debits_must_not_exceed_credits`: debits posted plus debits pending never exceed credits posted.
 * Every account but `external` carries it; `external` goes negative by design (its debit balance is the money
 * that came in from outside).
 */
export interface AccountFlags {
  debitsMustNotExceedCredits: boolean;
}

export const PLATFORM_FEE_ACCOUNT: AccountRef = {
  id: 'platform_fee',
  organisationId: null,
  purpose: 'platform_fee',
};
export const PUBLIC_FINANCE_ACCOUNT: AccountRef = {
  id: 'public_finance',
  organisationId: null,
  purpose: 'public_finance',
};
export const EXTERNAL_ACCOUNT: AccountRef = { id: 'external', organisationId: null, purpose: 'external' };

const SYSTEM_ACCOUNTS = [PLATFORM_FEE_ACCOUNT, PUBLIC_FINANCE_ACCOUNT, EXTERNAL_ACCOUNT];

export function organisationAccount(organisationId: string, purpose: OrganisationPurpose): AccountRef {
  return { id: `${purpose}:${organisationId}`, organisationId, purpose };
}

/** The account an id names, or undefined for an id this scheme never makes. */
export function accountOf(id: string): AccountRef | undefined {
  const system = SYSTEM_ACCOUNTS.find((a) => a.id === id);
  if (system) return system;
  const at = id.indexOf(':');
  if (at < 0) return undefined;
  const purpose = id.slice(0, at) as OrganisationPurpose;
  const organisationId = id.slice(at + 1);
  if (!ORGANISATION_PURPOSES.includes(purpose) || organisationId.length === 0) return undefined;
  return { id, organisationId, purpose };
}

export function flagsOf(purpose: AccountPurpose): AccountFlags {
  return { debitsMustNotExceedCredits: purpose !== 'external' };
}

/** An account's running totals, kept by the store (TigerBeetle's four balance fields). */
export interface Balance {
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
}

export const zeroBalance = (): Balance => ({
  debitsPosted: 0n,
  creditsPosted: 0n,
  debitsPending: 0n,
  creditsPending: 0n,
});

/** What the account may still pay out: credits posted minus debits posted minus debits reserved by holds. */
export const availableOf = (b: Balance): bigint => b.creditsPosted - b.debitsPosted - b.debitsPending;

/** Money on its way in: credits reserved by holds, not yet posted. */
export const incomingOf = (b: Balance): bigint => b.creditsPending;

/** Whether a balance breaks its account's guard. */
export function breaksGuard(flags: AccountFlags, b: Balance): boolean {
  return flags.debitsMustNotExceedCredits && b.debitsPosted + b.debitsPending > b.creditsPosted;
}

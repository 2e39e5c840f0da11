import type { ListingStatus } from './entities/listing.entity.js';

/** Who may take a step: the listing's merchant, the operator, or the operator or a regulator. */
export type ListingActorKind = 'merchant' | 'operator' | 'overseer';

export const LISTING_ACTIONS = [
  'submit',
  'approve',
  'reject',
  'publish',
  'suspend',
  'reinstate',
  'withdraw',
] as const;
export type ListingAction = (typeof LISTING_ACTIONS)[number];

export interface ListingTransition {
  from: readonly ListingStatus[];
  to: ListingStatus;
  by: ListingActorKind;
  /** The ledger action written with the step. */
  recorded: string;
  reasonRequired: boolean;
}

/**
 * The lifecycle of issue 9 item 8. A step moves the listing by a conditional update from the status it was read in,
 * so of parallel steps on one listing exactly one takes effect. Rejected and withdrawn are final: the merchant makes
 * a new listing.
 */
export const LISTING_TRANSITIONS: Readonly<Record<ListingAction, ListingTransition>> = {
  submit: {
    from: ['draft'],
    to: 'submitted',
    by: 'merchant',
    recorded: 'listing.submitted',
    reasonRequired: false,
  },
  approve: {
    from: ['submitted'],
    to: 'approved',
    by: 'operator',
    recorded: 'listing.approved',
    reasonRequired: false,
  },
  reject: {
    from: ['submitted'],
    to: 'rejected',
    by: 'operator',
    recorded: 'listing.rejected',
    reasonRequired: true,
  },
  publish: {
    from: ['approved'],
    to: 'published',
    by: 'merchant',
    recorded: 'listing.published',
    reasonRequired: false,
  },
  suspend: {
    from: ['published'],
    to: 'suspended',
    by: 'overseer',
    recorded: 'listing.suspended',
    reasonRequired: true,
  },
  reinstate: {
    from: ['suspended'],
    to: 'published',
    by: 'overseer',
    recorded: 'listing.reinstated',
    reasonRequired: false,
  },
  withdraw: {
    from: ['draft', 'submitted', 'approved', 'published', 'suspended'],
    to: 'withdrawn',
    by: 'merchant',
    recorded: 'listing.withdrawn',
    reasonRequired: false,
  },
};

/** Whether a step leaves `from` for `to` across the catalogue's edge: into or out of `published`. */
export const catalogueChange = (from: ListingStatus, to: ListingStatus): 'add' | 'remove' | null =>
  to === 'published' && from !== 'published'
    ? 'add'
    : from === 'published' && to !== 'published'
      ? 'remove'
      : null;

/**
 * A complaint or report's life (DE 26: a defined process; DE 60: anyone may report; DS 58: violations found are
 * handled and reported):
 *
 * - received: filed by anyone, signed in or not; the reporter holds a receipt code to follow it;
 * - triaged: the operator or a regulator accepted it for handling (or it goes straight to a decision);
 * - investigating: under investigation;
 * - decided: upheld (possibly with a suspension of a listing, a contract or an organisation) or dismissed, with a
 *   reason the reporter can read.
 */
export const COMPLAINT_STATES = ['received', 'triaged', 'investigating', 'decided'] as const;
export type ComplaintState = (typeof COMPLAINT_STATES)[number];

export const COMPLAINT_OUTCOMES = ['upheld', 'dismissed'] as const;
export type ComplaintOutcome = (typeof COMPLAINT_OUTCOMES)[number];

/** What a complaint may be about; `null` (nothing named) is allowed too. */
export const COMPLAINT_SUBJECT_KINDS = ['listing', 'organisation', 'contract'] as const;
export type ComplaintSubjectKind = (typeof COMPLAINT_SUBJECT_KINDS)[number];

export const COMPLAINT_CATEGORIES = [
  'illegal-data-source',
  'privacy-violation',
  'misleading-listing',
  'contract-breach',
  'security-risk',
  'unfair-pricing',
  'other',
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

export type ComplaintStep = 'triage' | 'investigate' | 'decide';

export const COMPLAINT_TRANSITIONS: Readonly<
  Record<ComplaintStep, { from: readonly ComplaintState[]; to: ComplaintState; recorded: string }>
> = {
  triage: { from: ['received'], to: 'triaged', recorded: 'complaint.triaged' },
  investigate: { from: ['received', 'triaged'], to: 'investigating', recorded: 'complaint.investigating' },
  decide: { from: ['received', 'triaged', 'investigating'], to: 'decided', recorded: 'complaint.decided' },
};

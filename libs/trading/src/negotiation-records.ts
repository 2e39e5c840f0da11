import type { Negotiation, NegotiationVersion } from './entities/negotiation.entity.js';

/** A negotiation as the API shows it: the row and its versions (all of them, or the latest in a list). */
export interface NegotiationRecord {
  negotiation: Negotiation;
  versions: NegotiationVersion[];
}

export interface NegotiationPage {
  records: NegotiationRecord[];
  next: string | null;
}

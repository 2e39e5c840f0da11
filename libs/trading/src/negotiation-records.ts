import { ValidationFailed } from '@app/core';
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

/** The keyset cursor of the negotiation pages: creation time and id of the last one of a page. */
export const encodeNegotiationCursor = (n: Negotiation): string =>
  Buffer.from(`${n.createdAt.getTime()}.${n.id}`, 'utf8').toString('base64url');

export function decodeNegotiationCursor(cursor: string): { createdAt: Date; id: string } {
  const text = /^[A-Za-z0-9_-]{1,100}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^(\d{1,15})\.([0-9a-f-]{36})$/.exec(text);
  if (!match) throw new ValidationFailed('after is not a cursor this API returned', 'invalid_cursor');
  return { createdAt: new Date(Number(match[1])), id: match[2] };
}

import type { JsonValue, LedgerEntry } from './ledger-entry.js';

/**
 * RFC 8785 (JCS) text of an entry already checked with `entryProblem`, specialised for speed:
 * the export verifier re-encodes every entry, and the generic `canonicalize` costs several
 * microseconds per entry. For validated JSON values (finite numbers, well-formed strings, plain
 * objects) JCS is: JSON.stringify for primitives, object keys sorted by UTF-16 code units.
 * Tests hold it byte-equal to `canonicalize`.
 */
export function serializeEntryJcs(entry: LedgerEntry): string {
  const actor = entry.actor;
  return (
    `{"action":${JSON.stringify(entry.action)}` +
    `,"actor":{"accountId":${JSON.stringify(actor.accountId)},"organisationId":${JSON.stringify(actor.organisationId)}}` +
    `,"index":${JSON.stringify(entry.index)}` +
    `,"payload":${serializeJcs(entry.payload)}` +
    `,"subjectIds":${serializeJcs(entry.subjectIds)}` +
    `,"time":${JSON.stringify(entry.time)}}`
  );
}

/** JCS text of a validated JSON value (see `serializeEntryJcs`). */
export function serializeJcs(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i === 0 ? '' : ',') + serializeJcs(value[i]);
    return `${text}]`;
  }
  const keys = Object.keys(value).sort();
  let text = '{';
  for (let i = 0; i < keys.length; i++)
    text += `${i === 0 ? '' : ','}${JSON.stringify(keys[i])}:${serializeJcs(value[keys[i]])}`;
  return `${text}}`;
}

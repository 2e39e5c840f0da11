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
  if (keysSorted(entry.payload)) {
    // Keys in JCS order and no payload object out of order: one native JSON.stringify is the JCS text.
    return JSON.stringify({
      action: entry.action,
      actor: { accountId: actor.accountId, organisationId: actor.organisationId },
      index: entry.index,
      payload: entry.payload,
      subjectIds: entry.subjectIds,
      time: entry.time,
    });
  }
  return (
    `{"action":${JSON.stringify(entry.action)}` +
    `,"actor":{"accountId":${JSON.stringify(actor.accountId)},"organisationId":${JSON.stringify(actor.organisationId)}}` +
    `,"index":${JSON.stringify(entry.index)}` +
    `,"payload":${serializeSorting(entry.payload)}` +
    `,"subjectIds":${JSON.stringify(entry.subjectIds)}` +
    `,"time":${JSON.stringify(entry.time)}}`
  );
}

/**
 * JCS text of a validated JSON value (see `serializeEntryJcs`). When every object's own keys
 * already come in JCS order (`Object.keys` order strictly ascending by UTF-16 code units), the
 * text is exactly `JSON.stringify(value)`: it emits the properties in `Object.keys` order and
 * primitives as JCS does. Only otherwise are keys sorted here.
 */
export function serializeJcs(value: JsonValue): string {
  return keysSorted(value) ? JSON.stringify(value) : serializeSorting(value);
}

/** True when no object inside `value` has its keys out of JCS order. */
function keysSorted(value: JsonValue): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!keysSorted(value[i])) return false;
    return true;
  }
  const keys = Object.keys(value);
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1] < keys[i])) return false;
  for (let i = 0; i < keys.length; i++) if (!keysSorted(value[keys[i]])) return false;
  return true;
}

function serializeSorting(value: JsonValue): string {
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

import { randomBytes, randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();

/** A bearer secret: a recognisable prefix and 256 random bits, base64url. */
export const newSecretToken = (prefix: string): string =>
  `${prefix}_${randomBytes(32).toString('base64url')}`;

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

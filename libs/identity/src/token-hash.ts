import { createHash } from 'node:crypto';

/** Bearer secrets carry 256 random bits, so one SHA-256 is enough to store them (no password stretching needed). */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export const SESSION_PREFIX = 'dxs';
export const API_TOKEN_PREFIX = 'dxt';
export const ENROLMENT_PREFIX = 'dxe';

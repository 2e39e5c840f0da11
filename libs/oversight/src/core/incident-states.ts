/**
 * A security incident's life (DS 16), as a transition table like the organisation admission's:
 *
 * - reported: filed by a party or the operator, graded (DS 12), the regulators told at once when level 3 or above
 *   (DS 15) or when it touches important or core data (DS 16), the affected parties notified;
 * - acknowledged: a regulator (or the operator) took it up;
 * - contained: the reporter or the operator says the harm is stopped;
 * - closed: closed with its summary report (DS 16: within a week for important or core data).
 *
 * Every move is a conditional update on the `from` state: of parallel moves, one takes effect.
 */
export const INCIDENT_STATES = ['reported', 'acknowledged', 'contained', 'closed'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

export type IncidentStep = 'acknowledge' | 'contain' | 'close';

export interface IncidentTransition {
  from: readonly IncidentState[];
  to: IncidentState;
  /** `overseer`: the operator or a regulator; `handler`: the reporting organisation or the operator. */
  by: 'overseer' | 'handler';
  recorded: string;
}

export const INCIDENT_TRANSITIONS: Readonly<Record<IncidentStep, IncidentTransition>> = {
  acknowledge: { from: ['reported'], to: 'acknowledged', by: 'overseer', recorded: 'incident.acknowledged' },
  contain: {
    from: ['reported', 'acknowledged'],
    to: 'contained',
    by: 'handler',
    recorded: 'incident.contained',
  },
  close: {
    from: ['reported', 'acknowledged', 'contained'],
    to: 'closed',
    by: 'handler',
    recorded: 'incident.closed',
  },
};

import type { EntityManager } from '@mikro-orm/sql';

/** Which database a unit of work runs on: the few statements and locks that differ between the two branch on it. */
export type SqlKind = 'sqlite' | 'postgresql';

export function sqlKindOf(em: Pick<EntityManager, 'getPlatform'>): SqlKind {
  return em.getPlatform().constructor.name.startsWith('Sqlite') ? 'sqlite' : 'postgresql';
}

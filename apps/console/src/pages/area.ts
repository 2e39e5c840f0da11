import type { ReactNode } from 'react';
import type { MessageKey } from '../i18n/catalog';
import type { Role } from '../session/session';

/** A page of the console: where it lives, its menu label, and the roles that see it (the API still decides). */
export interface AreaRoute {
  path: string;
  label: MessageKey;
  roles: readonly Role[];
  element: ReactNode;
  /** Pages reached from another page (a detail view) stay out of the menu. */
  hidden?: boolean;
  /** Also open to visitors who have not signed in (the catalogue, sign-up). A route with no roles is public. */
  public?: boolean;
  /** Usable by an operator or regulator session that still owes its TOTP (the enrolment page): the only pages it sees. */
  beforeSecondFactor?: boolean;
}

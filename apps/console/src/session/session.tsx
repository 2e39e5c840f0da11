import { App } from 'antd';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setBearer, unwrap, type Schemas } from '../api/client';
import { useI18n } from '../i18n/i18n';

export type Role = Schemas['PrincipalResponse']['roles'][number];
export type Principal = Schemas['PrincipalResponse'];

interface Stored {
  token: string;
  expiresAt: string;
}

interface Session {
  principal: Principal | null;
  expiresAt: string | null;
  /** True while the stored session is being checked at start. */
  restoring: boolean;
  has(role: Role): boolean;
  /** May change things as this role (a read-only token may not). */
  canWrite(role: Role): boolean;
  signedIn(login: Schemas['LoginResponse']): void;
  refresh(): Promise<void>;
  signOut(reason?: 'expired'): Promise<void>;
}

// sessionStorage, not localStorage: a session ends with the tab, and other tabs cannot read it.
const STORAGE_KEY = 'dx.session';
const SessionContext = createContext<Session | null>(null);

const readStored = (): Stored | null => {
  try {
    const parsed = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Stored | null;
    return parsed && Date.parse(parsed.expiresAt) > Date.now() ? parsed : null;
  } catch {
    return null;
  }
};

export function SessionProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [stored, setStored] = useState<Stored | null>(readStored);
  const [principal, setPrincipal] = useState<Principal | null>(null);
  const [restoring, setRestoring] = useState(stored !== null);

  const clear = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setBearer(null);
    setStored(null);
    setPrincipal(null);
  }, []);

  const expire = useCallback(() => {
    clear();
    void message.warning(t('app.sessionExpired'));
  }, [clear, message, t]);

  const refresh = useCallback(async () => {
    setPrincipal(await unwrap(api.GET('/v1/auth/me')));
  }, []);

  useEffect(() => {
    if (!stored) return;
    setBearer(stored.token, expire);
    const timer = setTimeout(expire, Math.max(0, Date.parse(stored.expiresAt) - Date.now()));
    return () => clearTimeout(timer);
  }, [stored, expire]);

  useEffect(() => {
    if (!restoring) return;
    refresh()
      .catch(() => clear())
      .finally(() => setRestoring(false));
  }, [restoring, refresh, clear]);

  const value = useMemo<Session>(
    () => ({
      principal,
      expiresAt: stored?.expiresAt ?? null,
      restoring,
      has: (role) => principal?.roles.includes(role) ?? false,
      canWrite: (role) => principal?.writeRoles.includes(role) ?? false,
      signedIn: (login) => {
        const next = { token: login.token, expiresAt: login.expiresAt };
        sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
        setBearer(next.token, expire);
        setStored(next);
        setPrincipal(login.principal);
      },
      refresh,
      signOut: async (reason) => {
        if (reason !== 'expired') await api.POST('/v1/auth/logout').catch(() => undefined);
        clear();
      },
    }),
    [principal, stored, restoring, refresh, clear, expire],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

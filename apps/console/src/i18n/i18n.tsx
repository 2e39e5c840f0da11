import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { catalogs, type Language, type MessageKey } from './catalog';

const STORAGE_KEY = 'dx.language';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18n {
  language: Language;
  /** BCP 47 tag for Intl and `<html lang>`. */
  locale: 'zh-CN' | 'en-GB';
  t: Translate;
  /** For keys built from data (a state, a role): the key when the catalogue has it, else a visible marker. */
  tDynamic: (key: string, vars?: Record<string, string | number>) => string;
  /** An enumeration in the language's way: 甲、乙、丙 in Chinese, "a, b, c" in English; '—' when empty. */
  list: (items: readonly string[]) => string;
  setLanguage(language: Language): void;
}

declare global {
  interface Window {
    /** Keys asked for but missing from the catalogue: the browser tests read this. */
    __missingMessages?: string[];
  }
}

const I18nContext = createContext<I18n | null>(null);

const interpolate = (text: string, vars?: Record<string, string | number>) =>
  vars
    ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole))
    : text;

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'en' || stored === 'zh' ? stored : 'zh';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
    setLanguageState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const catalog = catalogs[language] as Record<string, string>;
    const lookup = (key: string, vars?: Record<string, string | number>) => {
      const text = catalog[key];
      if (text === undefined) {
        (window.__missingMessages ??= []).push(key);
        return `⟦${key}⟧`;
      }
      return interpolate(text, vars);
    };
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
    return {
      language,
      locale: language === 'zh' ? 'zh-CN' : 'en-GB',
      t: lookup,
      tDynamic: lookup,
      list: (items) => (items.length === 0 ? '—' : items.join(language === 'zh' ? '、' : ', ')),
      setLanguage,
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}

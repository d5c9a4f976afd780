import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.ts';
import { nb } from './nb.ts';

export const LANGUAGES = ['nb', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'frist.language';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof nb };
  }
}

function storedLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  return LANGUAGES.find((language) => language === stored) ?? 'nb';
}

/** i18next with both catalogues bundled (they are small): bokmål unless the user chose English before. */
export async function initI18n(): Promise<typeof i18next> {
  const language = storedLanguage();
  document.documentElement.lang = language;
  await i18next.use(initReactI18next).init({
    resources: { nb: { translation: nb }, en: { translation: en } },
    lng: language,
    fallbackLng: 'nb',
    // React escapes what it renders.
    interpolation: { escapeValue: false },
  });
  return i18next;
}

/** Switches the language and remembers it in this browser. */
export async function changeLanguage(language: Language): Promise<void> {
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
  await i18next.changeLanguage(language);
}

export function currentLanguage(): Language {
  return LANGUAGES.find((language) => language === i18next.resolvedLanguage) ?? 'nb';
}

/**
 * A business profile's hosted-checkout theme. The API validates it on save (checkout.dto.ts uses these patterns); the
 * page re-checks every value when it renders, because the values end up inside CSS and markup: anything that does not
 * match falls back to the default instead of reaching the page.
 */
export const CHECKOUT_LOCALES = ['en', 'fr', 'es', 'ar'] as const;
export type CheckoutLocale = (typeof CHECKOUT_LOCALES)[number];
export const RTL_LOCALES: readonly CheckoutLocale[] = ['ar'];

/** `#rgb` or `#rrggbb`. */
export const COLOR_PATTERN = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
/** Font names only: letters, digits, spaces, commas, hyphens (no quotes, semicolons, braces, slashes or url()). */
export const FONT_FAMILY_PATTERN = /^[A-Za-z0-9 ,-]{1,100}$/;
/** Printable text without markup characters (it is escaped anyway). */
export const BUTTON_LABEL_PATTERN = /^[^\u0000-\u001f\u007f<>]{1,40}$/;
export const MAX_BORDER_RADIUS = 32;

export const THEME_COLOR_FIELDS = [
  'primary_color',
  'background_color',
  'text_color',
  'button_color',
  'button_text_color',
] as const;

/** What the page renders with: every field present and safe. */
export interface ResolvedTheme {
  primaryColor: string;
  backgroundColor: string;
  textColor: string;
  buttonColor: string;
  buttonTextColor: string;
  buttonLabel: string | null;
  fontFamily: string;
  borderRadius: number;
  logoUrl: string | null;
  locale: CheckoutLocale;
  dir: 'ltr' | 'rtl';
}

export const DEFAULT_THEME: ResolvedTheme = {
  primaryColor: '#1f4fd8',
  backgroundColor: '#f6f7f9',
  textColor: '#1a1d24',
  buttonColor: '#1f4fd8',
  buttonTextColor: '#ffffff',
  buttonLabel: null,
  fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif',
  borderRadius: 8,
  logoUrl: null,
  locale: 'en',
  dir: 'ltr',
};

/** The stored theme (snake_case, as the API takes it), a payment link's override on top, defaults for the rest. */
export function resolveTheme(stored: object | null | undefined, override?: object | null): ResolvedTheme {
  const t = { ...((stored ?? {}) as Record<string, unknown>), ...((override ?? {}) as Record<string, unknown>) };
  const color = (key: string, fallback: string) => {
    const value = t[key];
    return typeof value === 'string' && COLOR_PATTERN.test(value) ? value.toLowerCase() : fallback;
  };
  const locale = CHECKOUT_LOCALES.find((l) => l === t.locale) ?? DEFAULT_THEME.locale;
  const radius = t.border_radius;
  return {
    primaryColor: color('primary_color', DEFAULT_THEME.primaryColor),
    backgroundColor: color('background_color', DEFAULT_THEME.backgroundColor),
    textColor: color('text_color', DEFAULT_THEME.textColor),
    buttonColor: color('button_color', color('primary_color', DEFAULT_THEME.buttonColor)),
    buttonTextColor: color('button_text_color', DEFAULT_THEME.buttonTextColor),
    buttonLabel:
      typeof t.button_label === 'string' && BUTTON_LABEL_PATTERN.test(t.button_label) ? t.button_label : null,
    fontFamily:
      typeof t.font_family === 'string' && FONT_FAMILY_PATTERN.test(t.font_family)
        ? t.font_family
        : DEFAULT_THEME.fontFamily,
    borderRadius:
      typeof radius === 'number' && Number.isInteger(radius) && radius >= 0 && radius <= MAX_BORDER_RADIUS
        ? radius
        : DEFAULT_THEME.borderRadius,
    logoUrl: safeLogoUrl(t.logo_url),
    locale,
    dir: RTL_LOCALES.includes(locale) ? 'rtl' : 'ltr',
  };
}

function safeLogoUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2048) return null;
  try {
    return new URL(value).protocol === 'https:' ? value : null;
  } catch {
    return null;
  }
}

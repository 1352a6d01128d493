import { DEFAULT_THEME, resolveTheme } from './theme';

describe('resolveTheme', () => {
  it('applies the stored theme, then the link override, and defaults the rest', () => {
    const theme = resolveTheme({ button_color: '#ABC', locale: 'fr', border_radius: 0 }, { locale: 'ar' });
    expect(theme.buttonColor).toBe('#abc');
    expect(theme.borderRadius).toBe(0);
    expect(theme.locale).toBe('ar');
    expect(theme.dir).toBe('rtl');
    expect(theme.backgroundColor).toBe(DEFAULT_THEME.backgroundColor);
  });

  it('never lets a value that slipped past validation reach the CSS or markup', () => {
    const theme = resolveTheme({
      primary_color: 'red;}body{display:none',
      font_family: "x'; background:url(//evil)",
      border_radius: '8px',
      logo_url: 'javascript:alert(1)',
      button_label: '<img src=x>',
      locale: 'xx',
    });
    expect(theme).toEqual(DEFAULT_THEME);
  });

  it('takes the primary colour for the button when no button colour is set', () => {
    expect(resolveTheme({ primary_color: '#123456' }).buttonColor).toBe('#123456');
  });
});

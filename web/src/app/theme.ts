import { Alert, createTheme, NavLink, type CSSVariablesResolver } from '@mantine/core';

/**
 * Mantine's defaults, darker where text must stay readable: the primary shade, "dimmed" text
 * and field errors meet WCAG AA contrast (4.5:1) on white, which axe checks on every screen.
 */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  components: {
    // An alert's colour is in its border and icon; its title in the text colour stays readable
    // whatever the colour (orange or yellow titles on white are below 4.5:1).
    Alert: Alert.extend({ styles: { title: { color: 'var(--mantine-color-text)' } } }),
    // The current menu item under the mouse: Mantine's hover (blue.2) leaves its blue text at
    // 4.0:1; the lighter blue.1 keeps 4.5:1.
    NavLink: NavLink.extend({ vars: () => ({ root: { '--nl-hover': 'var(--mantine-color-blue-1)' }, children: {} }) }),
  },
});

export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { '--mantine-color-dimmed': t.colors.gray[7], '--mantine-color-error': t.colors.red[9] },
  dark: {},
});

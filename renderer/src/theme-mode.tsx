/**
 * Light/dark mode: follows the OS (`prefers-color-scheme`) unless the admin picks Light or Dark
 * (kept in localStorage, so the choice survives restarts). `ThemeModeProvider` applies the MUI
 * theme; `useThemeMode()` reads and changes the choice.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import useMediaQuery from '@mui/material/useMediaQuery';
import { createAppTheme } from './theme';

/** The admin's choice. */
export type ThemeChoice = 'system' | 'light' | 'dark';

/** Current choice, the mode in effect, and the setter. */
export interface ThemeModeState {
  choice: ThemeChoice;
  mode: 'light' | 'dark';
  setChoice: (choice: ThemeChoice) => void;
}

const STORAGE_KEY = 'stagebench.theme';
const ThemeModeContext = createContext<ThemeModeState | null>(null);

function storedChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

/** Applies the theme for the current choice to its children. */
export function ThemeModeProvider({ children }: { children: ReactNode }) {
  const prefersDark = useMediaQuery('(prefers-color-scheme: dark)', { noSsr: true });
  const [choice, setChoiceState] = useState<ThemeChoice>(storedChoice);
  const mode = choice === 'system' ? (prefersDark ? 'dark' : 'light') : choice;
  const theme = useMemo(() => createAppTheme(mode), [mode]);
  const setChoice = useCallback((c: ThemeChoice) => {
    setChoiceState(c);
    try {
      if (c === 'system') localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, c);
    } catch {
      // storage unavailable: the choice lasts for this session
    }
  }, []);
  const value = useMemo(() => ({ choice, mode, setChoice }), [choice, mode, setChoice]);
  return (
    <ThemeModeContext.Provider value={value}>
      <ThemeProvider theme={theme}>
        <CssBaseline />
        {children}
      </ThemeProvider>
    </ThemeModeContext.Provider>
  );
}

/** The theme mode state; throws outside ThemeModeProvider. */
export function useThemeMode(): ThemeModeState {
  const v = useContext(ThemeModeContext);
  if (!v) throw new Error('useThemeMode must be used inside ThemeModeProvider');
  return v;
}

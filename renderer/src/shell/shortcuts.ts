/**
 * Keyboard shortcuts: the list shown in the help dialog (`?`) and the global key handler. Keys
 * typed into a text field never trigger single-key shortcuts (`?`, `/`).
 */
import { useEffect, useRef } from 'react';
import { NAV_ITEMS, type PageId } from './nav';

/** True on macOS (⌘ instead of Ctrl in labels). */
export const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
/** Label of the primary modifier. */
export const MOD = IS_MAC ? '⌘' : 'Ctrl';

/** One documented shortcut. */
export interface ShortcutDoc {
  keys: string[];
  action: string;
}

/** Every shortcut, grouped, as the help dialog lists them. */
export const SHORTCUT_GROUPS: { title: string; items: ShortcutDoc[] }[] = [
  {
    title: 'Anywhere',
    items: [
      { keys: [MOD, 'K'], action: 'Search devices, profiles and pages' },
      { keys: ['?'], action: 'Show keyboard shortcuts' },
      { keys: [MOD, 'Shift', 'L'], action: 'Switch between light and dark' },
      { keys: ['Esc'], action: 'Close the dialog or palette' },
    ],
  },
  { title: 'Go to', items: NAV_ITEMS.map((item, i) => ({ keys: ['Alt', String(i + 1)], action: item.label })) },
  {
    title: 'Tables (Devices, Audit)',
    items: [
      { keys: ['/'], action: 'Search the table' },
      { keys: [MOD, 'A'], action: 'Select every row shown (outside the search box)' },
      { keys: ['Esc'], action: 'Clear the selection' },
    ],
  },
];

/** Handlers of the global shortcuts. */
export interface GlobalShortcutHandlers {
  openPalette: () => void;
  openHelp: () => void;
  toggleTheme: () => void;
  navigate: (page: PageId) => void;
}

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/** Installs the global key handler for the app's lifetime. */
export function useGlobalShortcuts(handlers: GlobalShortcutHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = IS_MAC ? e.metaKey : e.ctrlKey;
      const h = ref.current;
      if (mod && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        h.openPalette();
      } else if (mod && e.shiftKey && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        h.toggleTheme();
      } else if (e.altKey && !mod && /^Digit[1-8]$/.test(e.code)) {
        e.preventDefault();
        h.navigate(NAV_ITEMS[Number(e.code.slice(5)) - 1].id);
      } else if (e.key === '?' && !mod && !e.altKey && !typing(e.target)) {
        e.preventDefault();
        h.openHelp();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

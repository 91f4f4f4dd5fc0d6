/**
 * The command palette (Ctrl/⌘+K): one search box over pages, commands, devices (serial, UDID,
 * name) and profiles (name, identifier). ↑/↓ move, Enter opens, Esc closes.
 */
import { useEffect, useMemo, useState, type ReactElement } from 'react';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import InputBase from '@mui/material/InputBase';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import ListSubheader from '@mui/material/ListSubheader';
import Typography from '@mui/material/Typography';
import DescriptionIcon from '@mui/icons-material/Description';
import KeyboardIcon from '@mui/icons-material/Keyboard';
import DarkModeIcon from '@mui/icons-material/DarkMode';
import PhoneIphoneIcon from '@mui/icons-material/PhoneIphone';
import RocketLaunchIcon from '@mui/icons-material/RocketLaunch';
import SearchIcon from '@mui/icons-material/Search';
import type { GlobalSearchResult } from '../../../main/ipc/contract';
import { api } from '../api';
import { useDebounced } from '../hooks/useDebounced';
import { MONO_STACK } from '../theme';
import { NAV_ITEMS, type PageId } from './nav';
import { Kbd } from './ShortcutsDialog';

/** What the palette can open. */
export type PaletteTarget =
  | { kind: 'page'; page: PageId }
  | { kind: 'device'; search: string }
  | { kind: 'profile'; id: string; name: string }
  | { kind: 'command'; command: 'theme' | 'help' | 'setup' };

interface Entry {
  id: string;
  group: 'Pages' | 'Commands' | 'Devices' | 'Profiles';
  icon: ReactElement;
  primary: string;
  secondary?: string;
  mono?: boolean;
  target: PaletteTarget;
}

const COMMANDS: Entry[] = [
  { id: 'cmd-theme', group: 'Commands', icon: <DarkModeIcon />, primary: 'Switch light / dark', target: { kind: 'command', command: 'theme' } },
  { id: 'cmd-help', group: 'Commands', icon: <KeyboardIcon />, primary: 'Keyboard shortcuts', target: { kind: 'command', command: 'help' } },
  { id: 'cmd-setup', group: 'Commands', icon: <RocketLaunchIcon />, primary: 'Run the setup wizard', target: { kind: 'command', command: 'setup' } },
];

/** Props: open flag, close, and what to do with the chosen entry. */
export interface CommandPaletteProps {
  open: boolean;
  onClose: () => void;
  onSelect: (target: PaletteTarget) => void;
}

/** The palette dialog. */
export function CommandPalette({ open, onClose, onSelect }: CommandPaletteProps) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [found, setFound] = useState<GlobalSearchResult>({ devices: [], profiles: [] });
  const debounced = useDebounced(query, 150);

  useEffect(() => {
    if (!open) {
      setQuery('');
      setFound({ devices: [], profiles: [] });
    }
  }, [open]);

  useEffect(() => {
    let live = true;
    if (!debounced.trim()) {
      setFound({ devices: [], profiles: [] });
      return;
    }
    api()
      .invoke('search:global', { query: debounced })
      .then((r) => live && setFound(r))
      .catch(() => live && setFound({ devices: [], profiles: [] }));
    return () => {
      live = false;
    };
  }, [debounced]);

  const entries = useMemo<Entry[]>(() => {
    const q = query.trim().toLowerCase();
    const pages: Entry[] = NAV_ITEMS.filter((p) => !q || `${p.label} ${p.keywords} ${p.description}`.toLowerCase().includes(q)).map((p) => ({
      id: `page-${p.id}`, group: 'Pages', icon: p.icon, primary: p.label, secondary: p.description, target: { kind: 'page', page: p.id },
    }));
    const commands = COMMANDS.filter((c) => !q || c.primary.toLowerCase().includes(q));
    const devices: Entry[] = found.devices.map((d) => ({
      id: `device-${d.key}`, group: 'Devices', icon: <PhoneIphoneIcon />, primary: d.title,
      secondary: [d.serialNumber, d.udid].filter(Boolean).join(' · '), mono: true,
      target: { kind: 'device', search: d.serialNumber ?? d.udid ?? d.title },
    }));
    const profiles: Entry[] = found.profiles.map((p) => ({
      id: `profile-${p.id}`, group: 'Profiles', icon: <DescriptionIcon />, primary: p.name,
      secondary: `${p.payloadIdentifier}${p.signed ? ' · signed' : ''}`, target: { kind: 'profile', id: p.id, name: p.name },
    }));
    return q ? [...devices, ...profiles, ...pages, ...commands] : [...pages, ...commands];
  }, [query, found]);

  useEffect(() => setActive(0), [entries.length, query]);

  const choose = (e: Entry | undefined) => {
    if (!e) return;
    onSelect(e.target);
    onClose();
  };

  const groups = [...new Set(entries.map((e) => e.group))];
  return (
    <Dialog
      open={open}
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-label="Search"
      slotProps={{ paper: { sx: { position: 'absolute', top: '12vh', m: 0, overflow: 'hidden' } } }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, px: 2, py: 1.5, borderBottom: 1, borderColor: 'divider' }}>
        <SearchIcon color="action" />
        <InputBase
          autoFocus
          fullWidth
          placeholder="Search devices by serial, UDID or name, profiles, pages…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          inputProps={{ 'aria-label': 'Search everything', name: 'palette-search' }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setActive((a) => Math.min(entries.length - 1, a + 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((a) => Math.max(0, a - 1));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              choose(entries[active]);
            }
          }}
          sx={{ fontSize: 17 }}
        />
        <Kbd>Esc</Kbd>
      </Box>
      <List dense sx={{ maxHeight: '56vh', overflow: 'auto', py: 0 }} data-testid="palette-results">
        {entries.length === 0 && (
          <Typography variant="body2" color="text.secondary" sx={{ p: 3, textAlign: 'center' }}>
            Nothing matches “{query}”.
          </Typography>
        )}
        {groups.map((g) => (
          <li key={g}>
            <ul style={{ padding: 0 }}>
              <ListSubheader sx={{ lineHeight: '32px', bgcolor: 'background.paper' }}>{g}</ListSubheader>
              {entries
                .filter((e) => e.group === g)
                .map((e) => {
                  const index = entries.indexOf(e);
                  return (
                    <ListItemButton
                      key={e.id}
                      selected={index === active}
                      onMouseMove={() => setActive(index)}
                      onClick={() => choose(e)}
                      data-testid="palette-entry"
                      sx={{ mx: 1, borderRadius: 1.5 }}
                    >
                      <ListItemIcon sx={{ minWidth: 36 }}>{e.icon}</ListItemIcon>
                      <ListItemText
                        primary={e.primary}
                        secondary={e.secondary}
                        slotProps={{ secondary: { noWrap: true, sx: e.mono ? { fontFamily: MONO_STACK, fontSize: 12 } : undefined } }}
                      />
                      {index === active && <Chip size="small" label="Enter" variant="outlined" sx={{ ml: 1 }} />}
                    </ListItemButton>
                  );
                })}
            </ul>
          </li>
        ))}
      </List>
    </Dialog>
  );
}

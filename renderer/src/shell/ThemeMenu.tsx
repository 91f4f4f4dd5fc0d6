/** Top-bar button choosing the colour scheme: follow the OS, light or dark. */
import { useState } from 'react';
import IconButton from '@mui/material/IconButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Tooltip from '@mui/material/Tooltip';
import BrightnessAutoIcon from '@mui/icons-material/BrightnessAuto';
import CheckIcon from '@mui/icons-material/Check';
import DarkModeIcon from '@mui/icons-material/DarkMode';
import LightModeIcon from '@mui/icons-material/LightMode';
import { useThemeMode, type ThemeChoice } from '../theme-mode';

const CHOICES: { value: ThemeChoice; label: string; icon: typeof LightModeIcon }[] = [
  { value: 'system', label: 'Follow the system', icon: BrightnessAutoIcon },
  { value: 'light', label: 'Light', icon: LightModeIcon },
  { value: 'dark', label: 'Dark', icon: DarkModeIcon },
];

/** The theme button and its menu. */
export function ThemeMenu() {
  const { choice, mode, setChoice } = useThemeMode();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const Current = choice === 'system' ? BrightnessAutoIcon : mode === 'dark' ? DarkModeIcon : LightModeIcon;
  return (
    <>
      <Tooltip title="Appearance">
        <IconButton aria-label="Appearance" onClick={(e) => setAnchor(e.currentTarget)}>
          <Current />
        </IconButton>
      </Tooltip>
      <Menu anchorEl={anchor} open={!!anchor} onClose={() => setAnchor(null)}>
        {CHOICES.map((c) => (
          <MenuItem
            key={c.value}
            selected={c.value === choice}
            onClick={() => {
              setChoice(c.value);
              setAnchor(null);
            }}
          >
            <ListItemIcon>
              <c.icon fontSize="small" />
            </ListItemIcon>
            <ListItemText>{c.label}</ListItemText>
            {c.value === choice && <CheckIcon fontSize="small" sx={{ ml: 2 }} />}
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}

/** Settings page: organization, appearance, workstation facts, setup wizard and shortcuts. */
import { useEffect, useState } from 'react';
import Button from '@mui/material/Button';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import BrightnessAutoIcon from '@mui/icons-material/BrightnessAuto';
import DarkModeIcon from '@mui/icons-material/DarkMode';
import KeyboardIcon from '@mui/icons-material/Keyboard';
import LightModeIcon from '@mui/icons-material/LightMode';
import RocketLaunchIcon from '@mui/icons-material/RocketLaunch';
import type { AppInfo } from '../../../../main/ipc/contract';
import { messageOf } from '../../api';
import { SectionCard } from '../../components/SectionCard';
import { useToast } from '../../components/Toasts';
import type { SettingsState } from '../../hooks/useSettings';
import { useThemeMode, type ThemeChoice } from '../../theme-mode';
import { MONO_STACK } from '../../theme';

/** Props: settings state, app facts, and openers for the wizard and the shortcuts. */
export interface SettingsPageProps {
  settings: SettingsState;
  info: AppInfo | null;
  onRunSetup: () => void;
  onOpenHelp: () => void;
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Stack spacing={0.25}>
      <Typography variant="caption" color="text.secondary">
        {label}
      </Typography>
      <Typography variant="body2" sx={{ fontFamily: MONO_STACK, wordBreak: 'break-all' }}>
        {value}
      </Typography>
    </Stack>
  );
}

/** The Settings page. */
export function SettingsPage({ settings, info, onRunSetup, onOpenHelp }: SettingsPageProps) {
  const toast = useToast();
  const { choice, setChoice } = useThemeMode();
  const [org, setOrg] = useState('');
  useEffect(() => setOrg(settings.settings?.organizationName ?? ''), [settings.settings?.organizationName]);
  const saveOrg = async () => {
    try {
      await settings.save({ organizationName: org });
      toast({ severity: 'success', message: 'Organization name saved' });
    } catch (err) {
      toast({ severity: 'error', message: `Could not save: ${messageOf(err)}` });
    }
  };
  return (
    <Grid container spacing={3} data-testid="settings-page">
      <Grid size={{ xs: 12, lg: 6 }}>
        <Stack spacing={3}>
          <SectionCard title="Organization" subtitle="Used as the default organization of the profiles you build.">
            <Stack direction="row" spacing={1.5} component="form" onSubmit={(e) => { e.preventDefault(); void saveOrg(); }}>
              <TextField label="Organization name" name="organization-name" value={org} onChange={(e) => setOrg(e.target.value)} />
              <Button type="submit" variant="contained" disabled={org === (settings.settings?.organizationName ?? '')}>
                Save
              </Button>
            </Stack>
          </SectionCard>
          <SectionCard title="Appearance" subtitle="Follow the operating system, or keep StageBench light or dark.">
            <ToggleButtonGroup exclusive size="small" value={choice} onChange={(_e, v: ThemeChoice | null) => v && setChoice(v)} aria-label="Colour scheme">
              <ToggleButton value="system"><BrightnessAutoIcon fontSize="small" sx={{ mr: 1 }} />System</ToggleButton>
              <ToggleButton value="light"><LightModeIcon fontSize="small" sx={{ mr: 1 }} />Light</ToggleButton>
              <ToggleButton value="dark"><DarkModeIcon fontSize="small" sx={{ mr: 1 }} />Dark</ToggleButton>
            </ToggleButtonGroup>
          </SectionCard>
        </Stack>
      </Grid>
      <Grid size={{ xs: 12, lg: 6 }}>
        <Stack spacing={3}>
          <SectionCard title="Workstation" subtitle="Where this bench keeps its cache and reaches devices.">
            <Stack spacing={1.5}>
              <Fact label="Data directory" value={info?.dataDir ?? '…'} />
              <Fact label="usbmuxd" value={info?.usbmuxdAddress ?? '…'} />
              <Fact label="Version" value={info ? `${info.name} ${info.version}` : '…'} />
            </Stack>
          </SectionCard>
          <SectionCard title="Help" subtitle="Set the bench up again, or learn the keyboard.">
            <Stack direction="row" spacing={1.5}>
              <Button variant="outlined" startIcon={<RocketLaunchIcon />} onClick={onRunSetup}>
                Run the setup wizard
              </Button>
              <Button variant="outlined" startIcon={<KeyboardIcon />} onClick={onOpenHelp}>
                Keyboard shortcuts
              </Button>
            </Stack>
          </SectionCard>
        </Stack>
      </Grid>
    </Grid>
  );
}

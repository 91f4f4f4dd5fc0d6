/**
 * One step of the New-blueprint dialog: its header (number, type, move up / down, remove), the
 * fields of its action type, and its problems (the form's own check and the service's issues for
 * this step). Prepare offers manual or Automated Device Enrollment, supervision by an organization
 * and skip keys ("skip all" or a picker grouped by platform); Language & time zone offers the IANA
 * zones of `Intl.supportedValuesOf('timeZone')`; Erase asks for a confirmation.
 */
import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import Grid from '@mui/material/Grid';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import ArrowDownwardIcon from '@mui/icons-material/ArrowDownward';
import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import DeleteIcon from '@mui/icons-material/Delete';
import type { SkipKeyGroupOut } from '../../../../main/ipc/contract-blueprints';
import type { OrganizationOut } from '../../../../main/ipc/contract-organizations';
import { PasswordField } from '../../components/PasswordField';
import { LANGUAGES, languageName, STEP_TITLES, type StepDraft } from './blueprint-drafts';

/** A stored profile the steps can choose. */
export interface ProfileChoice {
  id: string;
  name: string;
}

/** What the step editors choose from. */
export interface StepChoices {
  enrollment: ProfileChoice[];
  others: ProfileChoice[];
  organizations: OrganizationOut[];
  skipKeys: SkipKeyGroupOut[];
  timeZones: string[];
}

/** Props: the draft, its position, the choices, change / move / remove callbacks and problems to show. */
export interface BlueprintStepEditorProps {
  draft: StepDraft;
  index: number;
  count: number;
  choices: StepChoices;
  /** Problems to show under the step (the form's check after a save attempt, the service's issues). */
  problems: string[];
  onChange: (d: StepDraft) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}

interface SkipOption {
  platform: string;
  key: string;
  title: string;
}

/** The step editor. */
export function BlueprintStepEditor({ draft, index, count, choices, problems, onChange, onMove, onRemove }: BlueprintStepEditorProps) {
  const n = index + 1;
  return (
    <Paper variant="outlined" sx={{ p: 1.5 }} data-testid="blueprint-step" data-type={draft.type}>
      <Stack direction="row" sx={{ alignItems: 'center', mb: 1 }}>
        <Typography variant="subtitle2" sx={{ flexGrow: 1 }}>
          {n}. {STEP_TITLES[draft.type]}
        </Typography>
        <IconButton size="small" aria-label={`Move step ${n} up`} disabled={index === 0} onClick={() => onMove(-1)}>
          <ArrowUpwardIcon fontSize="small" />
        </IconButton>
        <IconButton size="small" aria-label={`Move step ${n} down`} disabled={index === count - 1} onClick={() => onMove(1)}>
          <ArrowDownwardIcon fontSize="small" />
        </IconButton>
        <IconButton size="small" aria-label={`Remove step ${n}`} onClick={onRemove}>
          <DeleteIcon fontSize="small" />
        </IconButton>
      </Stack>
      <StepFields draft={draft} choices={choices} onChange={onChange} />
      {problems.map((p, i) => (
        <FormHelperText key={i} error data-testid="blueprint-step-error">
          {p}
        </FormHelperText>
      ))}
    </Paper>
  );
}

function StepFields({ draft: d, choices, onChange }: { draft: StepDraft; choices: StepChoices; onChange: (d: StepDraft) => void }) {
  switch (d.type) {
    case 'wifi':
      return (
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, sm: 6 }}>
            <TextField label="Network name (SSID)" value={d.ssid} onChange={(e) => onChange({ ...d, ssid: e.target.value })} fullWidth required size="small" />
          </Grid>
          <Grid size={{ xs: 12, sm: 6 }}>
            <PasswordField
              label="Wi-Fi password (WPA2)"
              value={d.password}
              onChange={(e) => onChange({ ...d, password: e.target.value })}
              fullWidth
              size="small"
              helperText="Sealed on save; leave empty for an open network"
            />
          </Grid>
        </Grid>
      );
    case 'enrollment-profile':
    case 'install-profile': {
      const list = d.type === 'enrollment-profile' ? choices.enrollment : choices.others;
      return (
        <TextField
          select
          label={d.type === 'enrollment-profile' ? 'Enrollment profile' : 'Profile'}
          value={d.profileId}
          onChange={(e) => onChange({ ...d, profileId: e.target.value })}
          fullWidth
          size="small"
          helperText={
            list.length
              ? d.type === 'enrollment-profile'
                ? 'A signed MDM enrollment profile from the Profiles page'
                : 'A stored configuration profile from the Profiles page'
              : d.type === 'enrollment-profile'
                ? 'No signed enrollment profile yet — build and sign one on the Profiles page'
                : 'No other profile stored yet — import one on the Profiles page'
          }
        >
          {list.map((p) => (
            <MenuItem key={p.id} value={p.id}>
              {p.name}
            </MenuItem>
          ))}
        </TextField>
      );
    }
    case 'prepare':
      return <PrepareFields draft={d} choices={choices} onChange={onChange} />;
    case 'device-name':
      return (
        <TextField
          label="Device name"
          value={d.pattern}
          onChange={(e) => onChange({ ...d, pattern: e.target.value })}
          fullWidth
          size="small"
          placeholder="Lab-{counter}"
          helperText="Placeholders: {serial} {model} {productType} {udid} {ecid} {counter}"
        />
      );
    case 'locale':
      return (
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, sm: 4 }}>
            <Autocomplete
              freeSolo
              options={LANGUAGES}
              value={d.language}
              inputValue={d.language}
              onInputChange={(_e, v) => onChange({ ...d, language: v })}
              getOptionLabel={(o) => o}
              renderOption={(props, o) => (
                <li {...props} key={o}>
                  {o} — {languageName(o)}
                </li>
              )}
              renderInput={(params) => <TextField {...params} label="Language" size="small" placeholder="de" helperText={d.language ? languageName(d.language) : 'ISO code, e.g. de, pt-BR'} />}
            />
          </Grid>
          <Grid size={{ xs: 12, sm: 4 }}>
            <TextField label="Region" value={d.region} onChange={(e) => onChange({ ...d, region: e.target.value })} fullWidth size="small" placeholder="de_DE" helperText="Locale, e.g. de_DE, en_US" />
          </Grid>
          <Grid size={{ xs: 12, sm: 4 }}>
            <Autocomplete
              options={choices.timeZones}
              value={d.timeZone || null}
              onChange={(_e, v) => onChange({ ...d, timeZone: v ?? '' })}
              renderInput={(params) => <TextField {...params} label="Time zone" size="small" placeholder="Europe/Berlin" helperText="IANA time zone" />}
            />
          </Grid>
        </Grid>
      );
    case 'erase':
      return (
        <Stack spacing={1}>
          <Alert severity="warning" data-testid="erase-warning">
            Erases all content and settings on every device this blueprint runs on. The device restarts into Setup Assistant; erase must be the last step.
          </Alert>
          <FormControlLabel
            control={<Checkbox checked={d.confirmed} onChange={(e) => onChange({ ...d, confirmed: e.target.checked })} />}
            label="I understand: devices are wiped"
          />
        </Stack>
      );
  }
}

function PrepareFields({ draft: d, choices, onChange }: { draft: Extract<StepDraft, { type: 'prepare' }>; choices: StepChoices; onChange: (d: StepDraft) => void }) {
  const options: SkipOption[] = choices.skipKeys.flatMap((g) => g.keys.map((k) => ({ platform: g.label, key: k.key, title: k.title })));
  const selected = d.skipKeys.map((key) => options.find((o) => o.key === key) ?? { platform: '', key, title: key });
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 12, sm: 6 }}>
        <TextField select label="Prepare mode" value={d.mode} onChange={(e) => onChange({ ...d, mode: e.target.value as 'manual' | 'ade' })} fullWidth size="small">
          <MenuItem value="manual">Manual (configure here)</MenuItem>
          <MenuItem value="ade">Automated Device Enrollment (ADE)</MenuItem>
        </TextField>
      </Grid>
      {d.mode === 'ade' ? (
        <Grid size={12}>
          <Typography variant="body2" color="text.secondary">
            The device downloads its configuration (supervision, skipped panes) from Apple Business Manager; assign it to an ADE profile first.
          </Typography>
        </Grid>
      ) : (
        <>
          <Grid size={{ xs: 12, sm: 6 }}>
            <FormControlLabel control={<Switch checked={d.supervised} onChange={(e) => onChange({ ...d, supervised: e.target.checked })} />} label="Supervise" />
          </Grid>
          {d.supervised && (
            <Grid size={12}>
              <TextField
                select
                label="Organization"
                value={d.organizationId}
                onChange={(e) => onChange({ ...d, organizationId: e.target.value })}
                fullWidth
                size="small"
                helperText={choices.organizations.length ? 'Its supervision identity supervises the devices; its name shows on them' : 'No organization yet — create one on the Organizations page'}
              >
                {choices.organizations.map((o) => (
                  <MenuItem key={o.id} value={o.id}>
                    {o.name}
                    {o.department ? ` — ${o.department}` : ''}
                  </MenuItem>
                ))}
              </TextField>
            </Grid>
          )}
          <Grid size={12}>
            <TextField select label="Setup Assistant" value={d.skip} onChange={(e) => onChange({ ...d, skip: e.target.value as 'none' | 'all' | 'some' })} fullWidth size="small">
              <MenuItem value="all">Skip all panes</MenuItem>
              <MenuItem value="some">Skip chosen panes…</MenuItem>
              <MenuItem value="none">Show every pane</MenuItem>
            </TextField>
          </Grid>
          {d.skip === 'some' && (
            <Grid size={12}>
              <Autocomplete
                multiple
                disableCloseOnSelect
                options={options}
                groupBy={(o) => o.platform}
                value={selected}
                isOptionEqualToValue={(a, b) => a.key === b.key}
                getOptionLabel={(o) => `${o.title} (${o.key})`}
                getOptionKey={(o) => `${o.platform}:${o.key}`}
                onChange={(_e, v) => onChange({ ...d, skipKeys: [...new Set(v.map((o) => o.key))] })}
                renderInput={(params) => <TextField {...params} label="Panes to skip" size="small" helperText="Apple skip keys, by platform; a key on both platforms is listed twice" />}
              />
            </Grid>
          )}
        </>
      )}
    </Grid>
  );
}

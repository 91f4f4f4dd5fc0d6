/**
 * The Setup Assistant editor (`skip_setup_items`): panes grouped by platform (iOS/iPadOS, macOS,
 * tvOS, visionOS), filtered by the minimum OS targeted on each platform (panes removed at or
 * before it are hidden), deprecated and not-always-skippable panes marked, "Skip all" / "Show all"
 * per platform, and the conventions shown as implied keys with their reason. Skip keys are one
 * list shared by every platform: a pane skipped on one platform is skipped wherever it exists.
 */
import { useEffect, useMemo, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import FormHelperText from '@mui/material/FormHelperText';
import InputAdornment from '@mui/material/InputAdornment';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import SearchIcon from '@mui/icons-material/Search';
import type { ChannelOutput } from '../../../../main/ipc/contract';
import type { DepPaneOut, DepResolvedSkipOut, DepSetupPlatform } from '../../../../main/ipc/contract-dep';
import { api, messageOf } from '../../api';
import { useDebounced } from '../../hooks/useDebounced';
import type { IssueLookup } from './editor-model';

type Catalog = ChannelOutput<'dep:setup-panes'>;

/** Props: chosen keys, their resolution (from validation), change callback, issue lookup, and the form's minimum iOS/macOS to start the filter with. */
export interface SetupAssistantEditorProps {
  chosen: string[];
  skip: DepResolvedSkipOut | null;
  onChange: (keys: string[]) => void;
  issue: IssueLookup;
  initialMinimums: Partial<Record<DepSetupPlatform, string>>;
}

function PaneRow({ pane, checked, implied, onToggle }: { pane: DepPaneOut; checked: boolean; implied?: { impliedBy: string; reason: string }; onToggle: () => void }) {
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start', py: 0.5, opacity: pane.deprecatedAtMinimum ? 0.75 : 1 }} data-testid="pane-row" data-key={pane.key}>
      <Tooltip title={implied ? `Skipped because ${implied.impliedBy} is skipped: ${implied.reason}` : ''}>
        <span>
          <Checkbox size="small" checked={checked || !!implied} disabled={!!implied} onChange={onToggle} slotProps={{ input: { 'aria-label': `Skip ${pane.title}` } }} sx={{ p: 0.5 }} />
        </span>
      </Tooltip>
      <Box sx={{ minWidth: 0 }}>
        <Stack direction="row" spacing={0.75} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 0.5 }}>
          <Typography variant="body2" sx={{ fontWeight: 550 }}>{pane.title}</Typography>
          <Typography variant="caption" sx={{ fontFamily: 'monospace', color: 'text.secondary' }}>{pane.key}</Typography>
          {implied && <Chip size="small" color="info" variant="outlined" label={`Implied by ${implied.impliedBy}`} data-testid="implied-chip" />}
          {pane.deprecated && <Chip size="small" color="warning" variant="outlined" label={`Deprecated ${pane.deprecated}`} />}
          {pane.notAlwaysSkippable && (
            <Tooltip title="The pane can appear before the device fetches its cloud configuration, so skipping it is best effort">
              <Chip size="small" variant="outlined" label="Not always skippable" />
            </Tooltip>
          )}
          {pane.introducedAfterMinimum && <Chip size="small" variant="outlined" label={`${pane.introduced}+`} />}
        </Stack>
        <Typography variant="caption" color="text.secondary" component="div" sx={{ lineHeight: 1.35 }}>{pane.description}</Typography>
      </Box>
    </Stack>
  );
}

/** The editor. */
export function SetupAssistantEditor({ chosen, skip, onChange, issue, initialMinimums }: SetupAssistantEditorProps) {
  const [platform, setPlatform] = useState<DepSetupPlatform>('iOS');
  const [minimums, setMinimums] = useState<Partial<Record<DepSetupPlatform, string>>>(initialMinimums);
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const mins = useDebounced(minimums, 300);

  useEffect(() => {
    const valid = Object.fromEntries(Object.entries(mins).filter(([, v]) => v && /^\d+(\.\d+)*$/.test(v)));
    api().invoke('dep:setup-panes', { minimums: valid }).then((c) => { setCatalog(c); setError(null); }).catch((err: unknown) => setError(messageOf(err)));
  }, [mins]);

  const chosenSet = useMemo(() => new Set(chosen), [chosen]);
  const implied = useMemo(() => new Map((skip?.implied ?? []).filter((i) => !chosenSet.has(i.key)).map((i) => [i.key, i])), [skip, chosenSet]);
  const current = catalog?.platforms.find((p) => p.platform === platform);
  const f = filter.trim().toLowerCase();
  const panes = (current?.panes ?? []).filter((p) => !f || p.title.toLowerCase().includes(f) || p.key.toLowerCase().includes(f));
  const countOn = (ps: DepPaneOut[]) => ps.filter((p) => chosenSet.has(p.key) || implied.has(p.key)).length;
  const toggle = (key: string) => onChange(chosenSet.has(key) ? chosen.filter((k) => k !== key) : [...chosen, key]);
  const skipAll = () => onChange([...new Set([...chosen, ...(current?.panes ?? []).map((p) => p.key)])]);
  const showAll = () => { const keys = new Set((current?.panes ?? []).map((p) => p.key)); onChange(chosen.filter((k) => !keys.has(k))); };
  const minValid = !minimums[platform] || /^\d+(\.\d+)*$/.test(minimums[platform] ?? '');
  const listIssue = issue('skipSetupItems', true);

  return (
    <Stack spacing={1.5} data-testid="setup-assistant">
      <Typography variant="body2" color="text.secondary">
        Choose the Setup Assistant panes devices skip. Keys are shared across platforms: a key skipped here is skipped on every platform that shows the pane.
      </Typography>
      {error && <Alert severity="error">{error}</Alert>}
      <Tabs value={platform} onChange={(_e, v: DepSetupPlatform) => setPlatform(v)} variant="scrollable" sx={{ borderBottom: 1, borderColor: 'divider' }}>
        {(catalog?.platforms ?? []).map((p) => (
          <Tab key={p.platform} value={p.platform} label={`${p.label} · ${countOn(p.panes)}/${p.panes.length}`} data-testid={`platform-${p.platform}`} />
        ))}
      </Tabs>
      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'flex-start', flexWrap: 'wrap', rowGap: 1 }}>
        <TextField label={`Minimum ${current?.label ?? platform}`} name={`skip-min-${platform}`} value={minimums[platform] ?? ''} sx={{ width: 220 }}
          onChange={(e) => setMinimums((m) => ({ ...m, [platform]: e.target.value }))} placeholder="e.g. 17.0"
          error={!minValid} helperText={minValid ? 'Targeted OS: hides panes removed by then' : 'A version such as 17.0'} />
        <TextField placeholder="Filter panes" value={filter} onChange={(e) => setFilter(e.target.value)} sx={{ width: 240 }}
          slotProps={{ input: { startAdornment: <InputAdornment position="start"><SearchIcon fontSize="small" /></InputAdornment> }, htmlInput: { 'aria-label': 'Filter panes' } }} />
        <Box sx={{ flexGrow: 1 }} />
        <Button onClick={skipAll} data-testid="skip-all">Skip all {current?.label}</Button>
        <Button onClick={showAll}>Show all {current?.label}</Button>
      </Stack>
      {implied.size > 0 && (
        <Alert severity="info" variant="outlined" data-testid="implied-keys">
          Also skipped by convention: {[...implied.values()].map((i) => `${i.key} (${i.reason})`).join('; ')}.
        </Alert>
      )}
      {(skip?.rejected.length ?? 0) > 0 && <Alert severity="error">Not Setup Assistant keys: {skip!.rejected.map((r) => `${r.key} — ${r.reason}`).join('; ')}</Alert>}
      {listIssue && <FormHelperText error={listIssue.severity === 'error'}>{listIssue.message} [{listIssue.code}]</FormHelperText>}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, columnGap: 3, rowGap: 0.5 }}>
        {panes.map((p) => <PaneRow key={p.key} pane={p} checked={chosenSet.has(p.key)} implied={implied.get(p.key)} onToggle={() => toggle(p.key)} />)}
      </Box>
      {current && panes.length === 0 && <Typography color="text.secondary">No pane matches “{filter}”.</Typography>}
    </Stack>
  );
}

/**
 * The table toolbar: debounced search box, filter chips (one menu per filter, chosen values shown on
 * the chip), the match count, column choice and CSV export.
 */
import { forwardRef, memo, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import InputAdornment from '@mui/material/InputAdornment';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import ClearIcon from '@mui/icons-material/Clear';
import DownloadIcon from '@mui/icons-material/Download';
import FilterListIcon from '@mui/icons-material/FilterList';
import SearchIcon from '@mui/icons-material/Search';
import ViewColumnIcon from '@mui/icons-material/ViewColumn';
import IconButton from '@mui/material/IconButton';
import type { TableColumn, TableFilter } from '../../../main/ipc/tables/types';

/** Props of the toolbar. */
export interface TableToolbarProps {
  search: string;
  onSearch: (text: string) => void;
  placeholder: string;
  filters: TableFilter[];
  chosen: Record<string, string[]>;
  onFilter: (id: string, values: string[]) => void;
  columns: TableColumn[];
  visible: Record<string, boolean>;
  onToggleColumn: (id: string) => void;
  total: number | null;
  noun: string;
  exporting: boolean;
  onExport: () => void;
}

function FilterChip({ filter, values, onChange }: { filter: TableFilter; values: string[]; onChange: (v: string[]) => void }) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const active = values.length > 0;
  const label = active ? `${filter.label}: ${values.map((v) => filter.options.find((o) => o.value === v)?.label ?? v).join(', ')}` : filter.label;
  return (
    <>
      <Chip
        label={label}
        icon={active ? undefined : <FilterListIcon />}
        color={active ? 'primary' : 'default'}
        variant={active ? 'filled' : 'outlined'}
        onClick={(e) => setAnchor(e.currentTarget)}
        onDelete={active ? () => onChange([]) : undefined}
        data-testid={`filter-${filter.id}`}
        sx={{ maxWidth: 320 }}
      />
      <Menu anchorEl={anchor} open={!!anchor} onClose={() => setAnchor(null)} slotProps={{ paper: { sx: { maxHeight: 360 } } }}>
        {filter.options.length === 0 && (
          <MenuItem disabled>
            <ListItemText>No values yet</ListItemText>
          </MenuItem>
        )}
        {filter.options.map((o) => {
          const on = values.includes(o.value);
          return (
            <MenuItem key={o.value} dense onClick={() => onChange(on ? values.filter((v) => v !== o.value) : [...values, o.value])}>
              <Checkbox size="small" checked={on} sx={{ p: 0.5, mr: 1 }} />
              <ListItemText>{o.label}</ListItemText>
            </MenuItem>
          );
        })}
      </Menu>
    </>
  );
}

/** The toolbar. The search input is exposed by ref so `/` can focus it. */
export const TableToolbar = memo(forwardRef<HTMLInputElement, TableToolbarProps>(function TableToolbar(p, ref) {
  const [colAnchor, setColAnchor] = useState<HTMLElement | null>(null);
  return (
    <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1, px: 2, py: 1.5 }}>
      <TextField
        inputRef={ref}
        value={p.search}
        onChange={(e) => p.onSearch(e.target.value)}
        placeholder={p.placeholder}
        fullWidth={false}
        sx={{ width: 380 }}
        slotProps={{
          htmlInput: { 'aria-label': 'Search the table', name: 'table-search' },
          input: {
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon fontSize="small" />
              </InputAdornment>
            ),
            endAdornment: p.search ? (
              <InputAdornment position="end">
                <IconButton size="small" aria-label="Clear search" onClick={() => p.onSearch('')}>
                  <ClearIcon fontSize="small" />
                </IconButton>
              </InputAdornment>
            ) : (
              <InputAdornment position="end">
                <Box component="kbd" sx={{ fontSize: 11, color: 'text.disabled', border: 1, borderColor: 'divider', borderRadius: 1, px: 0.6 }}>
                  /
                </Box>
              </InputAdornment>
            ),
          },
        }}
      />
      {p.filters.map((f) => (
        <FilterChip key={f.id} filter={f} values={p.chosen[f.id] ?? []} onChange={(v) => p.onFilter(f.id, v)} />
      ))}
      <Box sx={{ flexGrow: 1 }} />
      <Typography variant="body2" color="text.secondary" data-testid="table-total" aria-live="polite">
        {p.total === null ? 'Loading…' : `${p.total.toLocaleString()} ${p.total === 1 ? p.noun.replace(/s$/, '') : p.noun}`}
      </Typography>
      <Button variant="outlined" size="small" startIcon={<ViewColumnIcon />} onClick={(e) => setColAnchor(e.currentTarget)}>
        Columns
      </Button>
      <Menu anchorEl={colAnchor} open={!!colAnchor} onClose={() => setColAnchor(null)}>
        {p.columns.map((c) => (
          <MenuItem key={c.id} dense onClick={() => p.onToggleColumn(c.id)} data-testid="column-choice">
            <Checkbox size="small" checked={p.visible[c.id] !== false} sx={{ p: 0.5, mr: 1 }} />
            <ListItemText>{c.label}</ListItemText>
          </MenuItem>
        ))}
      </Menu>
      <Button variant="outlined" size="small" startIcon={<DownloadIcon />} onClick={p.onExport} disabled={p.exporting || p.total === 0}>
        {p.exporting ? 'Exporting…' : 'Export CSV'}
      </Button>
    </Stack>
  );
}));

/**
 * Styles of the data table, set once on its root with the theme's colours: sticky header, rows,
 * cells, status dots, pills and placeholders. Rows and cells are plain elements with these classes.
 */
import { alpha, styled } from '@mui/material/styles';
import { MONO_STACK } from '../theme';

/** Row height in CSS pixels (virtualizer estimate and CSS). */
export const ROW_HEIGHT = 40;
/** Header height in CSS pixels. */
export const HEADER_HEIGHT = 42;

/** The scroll container holding header and rows. */
export const TableRoot = styled('div')(({ theme }) => {
  const line = theme.palette.divider;
  const good = theme.palette.success.main;
  const bad = theme.palette.error.main;
  const warn = theme.palette.warning.main;
  return {
    position: 'relative',
    overflow: 'auto',
    flexGrow: 1,
    minHeight: 0,
    outline: 'none',
    fontSize: 13.5,
    contain: 'strict',
    '& .dt-header': {
      position: 'sticky',
      top: 0,
      zIndex: 2,
      display: 'grid',
      height: HEADER_HEIGHT,
      background: theme.palette.mode === 'dark' ? '#1c2027' : '#f7f8fa',
      borderBottom: `1px solid ${line}`,
      fontWeight: 600,
      fontSize: 12.5,
      color: theme.palette.text.secondary,
    },
    '& .dt-hcell': { display: 'flex', alignItems: 'center', padding: '0 12px', minWidth: 0, whiteSpace: 'nowrap', overflow: 'hidden' },
    '& .dt-body': { position: 'relative' },
    '& .dt-row': {
      position: 'absolute',
      left: 0,
      top: 0,
      display: 'grid',
      height: ROW_HEIGHT,
      alignItems: 'center',
      borderBottom: `1px solid ${line}`,
      background: theme.palette.background.paper,
    },
    '& .dt-row:hover': { background: theme.palette.action.hover },
    '& .dt-row[aria-selected="true"]': { background: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.2 : 0.09) },
    '& .dt-cell': { padding: '0 12px', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0 },
    '& .dt-check': { display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 0 },
    '& .dt-check input': { width: 16, height: 16, margin: 0, accentColor: theme.palette.primary.main, cursor: 'pointer' },
    '& .dt-mono': { fontFamily: MONO_STACK, fontSize: 12.5 },
    '& .dt-muted': { color: theme.palette.text.disabled },
    '& .dt-pill': {
      display: 'inline-block',
      padding: '1px 8px',
      borderRadius: 10,
      border: `1px solid ${line}`,
      fontSize: 12,
      lineHeight: '18px',
      color: theme.palette.text.secondary,
    },
    '& .dt-status': { display: 'inline-flex', alignItems: 'center', gap: 6, fontWeight: 500, textTransform: 'capitalize' },
    '& .dt-status i': { width: 8, height: 8, borderRadius: '50%', background: theme.palette.text.disabled, display: 'inline-block' },
    '& .dt-good i': { background: good },
    '& .dt-bad i': { background: bad },
    '& .dt-bad': { color: bad },
    '& .dt-warn i': { background: warn },
    '& .dt-skeleton': {
      height: 10,
      borderRadius: 5,
      background: alpha(theme.palette.text.primary, 0.08),
      width: '70%',
    },
  };
});

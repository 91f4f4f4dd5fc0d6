/**
 * Application frame: left navigation, top bar (page title, search, appearance, shortcuts), the
 * page, and the status bar. Pages marked `fill` get the full remaining height (tables scroll
 * inside themselves); the others scroll in the content area.
 */
import type { ReactNode } from 'react';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Divider from '@mui/material/Divider';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import ListSubheader from '@mui/material/ListSubheader';
import Stack from '@mui/material/Stack';
import Toolbar from '@mui/material/Toolbar';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import KeyboardIcon from '@mui/icons-material/Keyboard';
import PhonelinkSetupIcon from '@mui/icons-material/PhonelinkSetup';
import SearchIcon from '@mui/icons-material/Search';
import { NAV_ITEMS, navItem, type PageId } from './nav';
import { MOD } from './shortcuts';
import { Kbd } from './ShortcutsDialog';
import { ThemeMenu } from './ThemeMenu';

const DRAWER_WIDTH = 240;

/** Props: current page, navigation, palette/help openers, the status bar, the page, and the fill flag. */
export interface AppShellProps {
  page: PageId;
  onNavigate: (page: PageId) => void;
  onOpenPalette: () => void;
  onOpenHelp: () => void;
  /** Count badges per page (e.g. attached devices on Bench). */
  badges?: Partial<Record<PageId, number>>;
  statusBar: ReactNode;
  fill?: boolean;
  children: ReactNode;
}

/** The frame around every page. */
export function AppShell({ page, onNavigate, onOpenPalette, onOpenHelp, badges = {}, statusBar, fill, children }: AppShellProps) {
  const current = navItem(page);
  const sections = [...new Set(NAV_ITEMS.map((i) => i.section))];
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100vh', bgcolor: 'background.default' }}>
      <Box sx={{ display: 'flex', flexGrow: 1, minHeight: 0 }}>
        <Drawer
          variant="permanent"
          sx={{
            width: DRAWER_WIDTH,
            flexShrink: 0,
            '& .MuiDrawer-paper': { width: DRAWER_WIDTH, boxSizing: 'border-box', position: 'relative', height: '100%', bgcolor: 'background.paper' },
          }}
        >
          <Toolbar sx={{ gap: 1.25 }}>
            <Box sx={{ width: 34, height: 34, borderRadius: 2, display: 'grid', placeItems: 'center', bgcolor: 'primary.main', color: 'primary.contrastText' }}>
              <PhonelinkSetupIcon fontSize="small" />
            </Box>
            <Box>
              <Typography variant="subtitle1" sx={{ fontWeight: 700, lineHeight: 1.1 }}>
                StageBench
              </Typography>
              <Typography variant="caption" color="text.secondary">
                Apple device admin
              </Typography>
            </Box>
          </Toolbar>
          <Divider />
          <Box component="nav" aria-label="Main navigation" sx={{ overflow: 'auto', flexGrow: 1 }}>
            {sections.map((section) => (
              <List key={section} dense subheader={<ListSubheader sx={{ bgcolor: 'transparent', lineHeight: '34px', fontSize: 11, letterSpacing: 0.6, textTransform: 'uppercase' }}>{section}</ListSubheader>}>
                {NAV_ITEMS.filter((i) => i.section === section).map((item) => (
                  <ListItemButton
                    key={item.id}
                    selected={item.id === page}
                    onClick={() => onNavigate(item.id)}
                    aria-current={item.id === page ? 'page' : undefined}
                    sx={{ mx: 1, borderRadius: 2, mb: 0.25 }}
                  >
                    <ListItemIcon sx={{ minWidth: 36, color: item.id === page ? 'primary.main' : undefined }}>{item.icon}</ListItemIcon>
                    <ListItemText primary={item.label} slotProps={{ primary: { sx: { fontWeight: item.id === page ? 600 : 450 } } }} />
                    {badges[item.id] ? (
                      <Box component="span" aria-hidden sx={{ fontSize: 11, fontWeight: 700, px: 0.9, borderRadius: 5, bgcolor: 'primary.main', color: 'primary.contrastText', lineHeight: '18px' }}>
                        {badges[item.id]}
                      </Box>
                    ) : null}
                  </ListItemButton>
                ))}
              </List>
            ))}
          </Box>
        </Drawer>
        <Box sx={{ flexGrow: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>
          <AppBar position="static" sx={{ borderBottom: 1, borderColor: 'divider', bgcolor: 'background.paper' }}>
            <Toolbar sx={{ gap: 2 }}>
              <Box sx={{ flexGrow: 1, minWidth: 0 }}>
                <Typography variant="h6" component="h1" noWrap>
                  {current.label}
                </Typography>
                <Typography variant="body2" color="text.secondary" noWrap>
                  {current.description}
                </Typography>
              </Box>
              <ButtonBase
                onClick={onOpenPalette}
                aria-label="Search devices, profiles and pages"
                sx={{
                  width: 340, maxWidth: '36vw', height: 36, px: 1.5, borderRadius: 2, border: 1, borderColor: 'divider', bgcolor: 'background.default',
                  justifyContent: 'flex-start', gap: 1, color: 'text.secondary', '&:hover': { borderColor: 'text.secondary' },
                }}
              >
                <SearchIcon fontSize="small" />
                <Typography variant="body2" sx={{ flexGrow: 1, textAlign: 'left' }} noWrap>
                  Search devices, profiles…
                </Typography>
                <Stack direction="row" spacing={0.5}>
                  <Kbd>{MOD}</Kbd>
                  <Kbd>K</Kbd>
                </Stack>
              </ButtonBase>
              <ThemeMenu />
              <Tooltip title="Keyboard shortcuts (?)">
                <IconButton aria-label="Keyboard shortcuts" onClick={onOpenHelp}>
                  <KeyboardIcon />
                </IconButton>
              </Tooltip>
            </Toolbar>
          </AppBar>
          <Box
            component="main"
            sx={fill ? { p: 3, flexGrow: 1, minHeight: 0, display: 'flex', flexDirection: 'column' } : { p: 3, flexGrow: 1, minHeight: 0, overflow: 'auto' }}
          >
            {children}
          </Box>
        </Box>
      </Box>
      {statusBar}
    </Box>
  );
}

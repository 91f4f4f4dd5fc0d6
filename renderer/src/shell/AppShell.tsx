/** Application frame: permanent left navigation, top bar with page title and workstation facts. */
import type { ReactNode } from 'react';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Divider from '@mui/material/Divider';
import Drawer from '@mui/material/Drawer';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import ListSubheader from '@mui/material/ListSubheader';
import Toolbar from '@mui/material/Toolbar';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import PhonelinkSetupIcon from '@mui/icons-material/PhonelinkSetup';
import type { AppInfo } from '../../../main/ipc/contract';
import { visibleNavItems, type NavItem, type PageId } from './nav';

const DRAWER_WIDTH = 232;

/** Props: current page, navigation callback, app facts (null while loading), page content. */
export interface AppShellProps {
  page: PageId;
  onNavigate: (page: PageId) => void;
  info: AppInfo | null;
  children: ReactNode;
}

/** The frame around every page. */
export function AppShell({ page, onNavigate, info, children }: AppShellProps) {
  const items = visibleNavItems();
  const current = items.find((i) => i.id === page);
  const sections = [...new Set(items.map((i) => i.section))];
  return (
    <Box sx={{ display: 'flex', minHeight: '100vh', bgcolor: 'background.default' }}>
      <Drawer
        variant="permanent"
        sx={{
          width: DRAWER_WIDTH,
          flexShrink: 0,
          alignSelf: 'stretch',
          bgcolor: 'background.paper',
          borderRight: 1,
          borderColor: 'divider',
          '& .MuiDrawer-paper': { width: DRAWER_WIDTH, boxSizing: 'border-box', position: 'sticky', top: 0, height: '100vh' },
        }}
      >
        <Toolbar sx={{ gap: 1.25 }}>
          <PhonelinkSetupIcon color="primary" />
          <Box>
            <Typography variant="subtitle1" sx={{ fontWeight: 700, lineHeight: 1.1 }}>
              StageBench
            </Typography>
            <Typography variant="caption" color="text.secondary">
              Device staging
            </Typography>
          </Box>
        </Toolbar>
        <Divider />
        <Box component="nav" aria-label="Main navigation">
          {sections.map((section) => (
            <List key={section} dense subheader={<ListSubheader sx={{ bgcolor: 'transparent', lineHeight: '36px' }}>{section}</ListSubheader>}>
              {items
                .filter((i) => i.section === section)
                .map((item: NavItem) => (
                  <ListItemButton
                    key={item.id}
                    selected={item.id === page}
                    onClick={() => onNavigate(item.id)}
                    aria-current={item.id === page ? 'page' : undefined}
                    sx={{ mx: 1, borderRadius: 2 }}
                  >
                    <ListItemIcon sx={{ minWidth: 36 }}>{item.icon}</ListItemIcon>
                    <ListItemText primary={item.label} />
                  </ListItemButton>
                ))}
            </List>
          ))}
        </Box>
      </Drawer>
      <Box sx={{ flexGrow: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>
        <AppBar position="sticky" sx={{ borderBottom: 1, borderColor: 'divider' }}>
          <Toolbar sx={{ gap: 2 }}>
            <Box sx={{ flexGrow: 1, minWidth: 0 }}>
              <Typography variant="h6" component="h1" noWrap>
                {current?.label ?? ''}
              </Typography>
              <Typography variant="body2" color="text.secondary" noWrap>
                {current?.description ?? ''}
              </Typography>
            </Box>
            {info && (
              <>
                <Tooltip title="Where StageBench reaches usbmuxd">
                  <Chip size="small" variant="outlined" label={`usbmuxd ${info.usbmuxdAddress}`} />
                </Tooltip>
                <Tooltip title={`Data directory: ${info.dataDir}`}>
                  <Chip size="small" variant="outlined" label={`v${info.version}`} />
                </Tooltip>
              </>
            )}
          </Toolbar>
        </AppBar>
        <Box component="main" sx={{ p: 3, flexGrow: 1, minWidth: 0 }}>
          {children}
        </Box>
      </Box>
    </Box>
  );
}

/** Renderer entry: theme following the OS colour scheme, then the app shell. */
import { StrictMode, useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import useMediaQuery from '@mui/material/useMediaQuery';
import { App } from './App';
import { createAppTheme } from './theme';

function Root() {
  const prefersDark = useMediaQuery('(prefers-color-scheme: dark)', { noSsr: true });
  const theme = useMemo(() => createAppTheme(prefersDark ? 'dark' : 'light'), [prefersDark]);
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      {window.stagebench ? (
        <App />
      ) : (
        <Box sx={{ p: 4 }}>
          <Alert severity="error">The StageBench bridge is missing: open this page through the StageBench app.</Alert>
        </Box>
      )}
    </ThemeProvider>
  );
}

const container = document.getElementById('root');
if (!container) throw new Error('renderer/index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);

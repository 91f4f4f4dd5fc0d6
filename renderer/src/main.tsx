/** Renderer entry: theme (OS colour scheme or the admin's choice), toasts, then the app shell. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import { App } from './App';
import { ToastProvider } from './components/Toasts';
import { ThemeModeProvider } from './theme-mode';

function Root() {
  return (
    <ThemeModeProvider>
      {window.stagebench ? (
        <ToastProvider>
          <App />
        </ToastProvider>
      ) : (
        <Box sx={{ p: 4 }}>
          <Alert severity="error">The StageBench bridge is missing: open this page through the StageBench app.</Alert>
        </Box>
      )}
    </ThemeModeProvider>
  );
}

const container = document.getElementById('root');
if (!container) throw new Error('renderer/index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);

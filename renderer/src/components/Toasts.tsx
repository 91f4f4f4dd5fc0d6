/**
 * Toasts: a queue of short messages (results and errors) shown one at a time in the bottom-right
 * corner above the status bar, each optionally with the action that fixes it ("usbmuxd not running
 * — Retry"). Errors stay until dismissed, acted on or followed by a newer toast; others hide after
 * a few seconds. A newer toast replaces the one on screen (MUI's consecutive-snackbar pattern).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Snackbar from '@mui/material/Snackbar';

/** One toast. `action` is the fix (a button on the toast); `key` replaces a queued toast with the same key. */
export interface Toast {
  severity: 'success' | 'info' | 'warning' | 'error';
  message: string;
  action?: { label: string; run: () => void };
  key?: string;
}

/** Shows a toast. */
export type ShowToast = (toast: Toast) => void;

const ToastContext = createContext<ShowToast | null>(null);

interface Queued extends Toast {
  id: number;
}

/** Provides `useToast()` to its children and renders the current toast. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [queue, setQueue] = useState<Queued[]>([]);
  const [open, setOpen] = useState(true);
  const next = useRef(1);
  const show = useCallback<ShowToast>((toast) => {
    setQueue((q) => {
      const id = next.current++;
      const rest = toast.key ? q.filter((t, i) => i === 0 || t.key !== toast.key) : q;
      if (toast.key && rest[0]?.key === toast.key) return [{ ...toast, id }, ...rest.slice(1)];
      return [...rest, { ...toast, id }].slice(-20);
    });
    setOpen(true);
  }, []);
  const current = queue[0];
  const close = () => setOpen(false);
  // A newer toast is waiting: let the current one go now (it exits, then the next shows).
  const waiting = queue.length > 1;
  useEffect(() => {
    if (waiting) setOpen(false);
  }, [waiting, current?.id]);
  const exited = () => {
    setQueue((q) => q.slice(1));
    setOpen(true);
  };
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <Snackbar
        key={current?.id}
        open={!!current && open}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        autoHideDuration={current && current.severity !== 'error' ? 5000 : null}
        onClose={(_e, reason) => {
          if (reason !== 'clickaway') close();
        }}
        slotProps={{ transition: { onExited: exited } }}
        sx={{ bottom: { xs: 40, sm: 40 } }}
      >
        {current ? (
          <Alert
            severity={current.severity}
            variant="filled"
            onClose={close}
            data-testid="toast"
            sx={{ minWidth: 320, maxWidth: 560, alignItems: 'center' }}
            action={
              current.action ? (
                <Button
                  color="inherit"
                  size="small"
                  sx={{ whiteSpace: 'nowrap', fontWeight: 700 }}
                  onClick={() => {
                    current.action?.run();
                    close();
                  }}
                >
                  {current.action.label}
                </Button>
              ) : undefined
            }
          >
            {current.message}
          </Alert>
        ) : undefined}
      </Snackbar>
    </ToastContext.Provider>
  );
}

/** The toast function; throws when used outside ToastProvider. */
export function useToast(): ShowToast {
  const show = useContext(ToastContext);
  if (!show) throw new Error('useToast must be used inside ToastProvider');
  return show;
}

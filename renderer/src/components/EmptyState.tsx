/**
 * An empty state that teaches the next step: an icon, what the page will hold, what to do now, and
 * up to two actions. Used by pages whose service is not wired yet and by empty tables.
 */
import type { ReactElement, ReactNode } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';

/** An action button of the empty state. */
export interface EmptyAction {
  label: string;
  onClick: () => void;
  icon?: ReactElement;
}

/** Props: icon, title, the explanation, optional steps list, actions and test id. */
export interface EmptyStateProps {
  icon: ReactElement;
  title: string;
  children: ReactNode;
  steps?: ReactNode[];
  primary?: EmptyAction;
  secondary?: EmptyAction;
  testId?: string;
  /** Render without the card frame (inside a table or another card). */
  bare?: boolean;
}

/** The empty state. */
export function EmptyState({ icon, title, children, steps, primary, secondary, testId = 'empty-state', bare }: EmptyStateProps) {
  const body = (
    <Stack spacing={2} sx={{ alignItems: 'center', textAlign: 'center', maxWidth: 640, mx: 'auto' }}>
      <Box sx={{ width: 72, height: 72, borderRadius: '50%', display: 'grid', placeItems: 'center', bgcolor: 'action.hover', color: 'primary.main', '& svg': { fontSize: 36 } }}>
        {icon}
      </Box>
      <Typography variant="h6" component="h2">
        {title}
      </Typography>
      <Typography color="text.secondary" component="div">
        {children}
      </Typography>
      {steps && steps.length > 0 && (
        <Box component="ol" sx={{ textAlign: 'left', m: 0, pl: 3, color: 'text.secondary', '& li': { mb: 0.75 } }}>
          {steps.map((s, i) => (
            <Typography component="li" variant="body2" key={i}>
              {s}
            </Typography>
          ))}
        </Box>
      )}
      {(primary || secondary) && (
        <Stack direction="row" spacing={1.5}>
          {primary && (
            <Button variant="contained" startIcon={primary.icon} onClick={primary.onClick}>
              {primary.label}
            </Button>
          )}
          {secondary && (
            <Button variant="outlined" startIcon={secondary.icon} onClick={secondary.onClick}>
              {secondary.label}
            </Button>
          )}
        </Stack>
      )}
    </Stack>
  );
  return bare ? (
    <Box data-testid={testId} sx={{ py: 6, px: 3 }}>
      {body}
    </Box>
  ) : (
    <Card data-testid={testId} sx={{ py: 6, px: 3 }}>
      {body}
    </Card>
  );
}

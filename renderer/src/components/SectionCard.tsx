/** A titled card used for every section of a page. */
import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Divider from '@mui/material/Divider';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';

/** Props: title, optional subtitle, optional header actions, content, and a test id. */
export interface SectionCardProps {
  title: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
}

/** Card with a header row (title, subtitle, actions) and padded content. */
export function SectionCard({ title, subtitle, actions, children, testId }: SectionCardProps) {
  return (
    <Card data-testid={testId} component="section" aria-label={title}>
      <Stack direction="row" spacing={2} sx={{ px: 2.5, py: 1.75, alignItems: 'center' }}>
        <Box sx={{ flexGrow: 1, minWidth: 0 }}>
          <Typography variant="h6" component="h2">
            {title}
          </Typography>
          {subtitle && (
            <Typography variant="body2" color="text.secondary">
              {subtitle}
            </Typography>
          )}
        </Box>
        {actions}
      </Stack>
      <Divider />
      <CardContent sx={{ p: 2.5, '&:last-child': { pb: 2.5 } }}>{children}</CardContent>
    </Card>
  );
}

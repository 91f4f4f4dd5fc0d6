/**
 * Window-wide drag and drop: while files are dragged over the window an overlay lists what can be
 * dropped; a drop hands each file to `onFiles`. Listens on `window` so any page accepts files.
 */
import { useEffect, useRef, useState } from 'react';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import FileDownloadIcon from '@mui/icons-material/FileDownload';
import { MONO_STACK } from '../theme';
import { DROP_HELP } from './drop-kinds';

function hasFiles(e: DragEvent): boolean {
  return !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
}

/** Props: what to do with dropped files. */
export interface DropOverlayProps {
  onFiles: (files: File[]) => void;
}

/** The overlay (renders nothing until files are dragged in). */
export function DropOverlay({ onFiles }: DropOverlayProps) {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const handler = useRef(onFiles);
  handler.current = onFiles;
  useEffect(() => {
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth.current++;
      setOver(true);
    };
    const overFn = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      // A drop zone of its own (a device tile) takes the file: step aside so it stays visible.
      const inZone = e.target instanceof Element && !!e.target.closest('[data-dropzone]');
      setOver(!inZone);
      if (inZone) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    };
    const drop = (e: DragEvent) => {
      if (!e.dataTransfer?.files.length) return;
      e.preventDefault();
      depth.current = 0;
      setOver(false);
      handler.current(Array.from(e.dataTransfer.files));
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overFn);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
  if (!over) return null;
  return (
    <Box
      data-testid="drop-overlay"
      sx={(t) => ({
        position: 'fixed', inset: 0, zIndex: t.zIndex.modal + 10, display: 'grid', placeItems: 'center', pointerEvents: 'none',
        bgcolor: alpha(t.palette.background.default, 0.82), backdropFilter: 'blur(2px)',
      })}
    >
      <Stack spacing={2} sx={(t) => ({ alignItems: 'center', p: 5, borderRadius: 4, border: `2px dashed ${t.palette.primary.main}`, bgcolor: 'background.paper', minWidth: 440 })}>
        <FileDownloadIcon color="primary" sx={{ fontSize: 48 }} />
        <Typography variant="h6">Drop files to open them in StageBench</Typography>
        <Stack spacing={0.75}>
          {DROP_HELP.map((d) => (
            <Typography key={d.ext} variant="body2" color="text.secondary">
              <Box component="span" sx={{ fontFamily: MONO_STACK, color: 'text.primary', display: 'inline-block', minWidth: 120 }}>{d.ext}</Box>
              {d.what}
            </Typography>
          ))}
        </Stack>
      </Stack>
    </Box>
  );
}

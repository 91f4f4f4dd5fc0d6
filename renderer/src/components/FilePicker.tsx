/** A button that opens a file chooser and reports the chosen file (name shown beside it). */
import { useId, useRef } from 'react';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import UploadFileIcon from '@mui/icons-material/UploadFile';

/** Props: button label, accepted types (`.p12,.pfx`), current file names, change callback. */
export interface FilePickerProps {
  label: string;
  accept?: string;
  multiple?: boolean;
  fileNames: string[];
  onFiles: (files: File[]) => void;
  error?: string | null;
  /** Name of the hidden input, for tests (`input[name=…]`). */
  name: string;
  placeholder?: string;
}

/** Visually a button; the native input stays in the DOM (hidden) for accessibility and tests. */
export function FilePicker({ label, accept, multiple, fileNames, onFiles, error, name, placeholder = 'No file chosen' }: FilePickerProps) {
  const ref = useRef<HTMLInputElement>(null);
  const id = useId();
  return (
    <Stack spacing={0.5}>
      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center' }}>
        <Button
          variant="outlined"
          startIcon={<UploadFileIcon />}
          onClick={() => ref.current?.click()}
          aria-describedby={id}
          color={error ? 'error' : 'primary'}
          sx={{ flexShrink: 0, whiteSpace: 'nowrap' }}
        >
          {label}
        </Button>
        <Typography id={id} variant="body2" color={fileNames.length ? 'text.primary' : 'text.secondary'} noWrap sx={{ minWidth: 0 }} title={fileNames.join(', ')}>
          {fileNames.length ? fileNames.join(', ') : placeholder}
        </Typography>
        <input
          ref={ref}
          type="file"
          name={name}
          accept={accept}
          multiple={multiple}
          hidden
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = '';
            if (files.length) onFiles(files);
          }}
        />
      </Stack>
      {error && (
        <Typography variant="caption" color="error">
          {error}
        </Typography>
      )}
    </Stack>
  );
}

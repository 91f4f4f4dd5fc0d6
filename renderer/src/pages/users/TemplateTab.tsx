/**
 * The invitation template editor, per language: the HTML with `$PLACEHOLDER$` values and
 * `<!--if:FLAG-->` sections (click a placeholder to insert it), and a live preview rendered by the
 * service for a sample user with the current settings — every value HTML-escaped, shown in a
 * sandboxed frame (no scripts). Save stores the admin's copy; Reset goes back to the shipped one.
 */
import { useEffect, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Chip from '@mui/material/Chip';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { Language } from '../../../../main/registration/types';
import { api } from '../../api';
import { useToast } from '../../components/Toasts';
import { useDebounced } from '../../hooks/useDebounced';
import { MONO_STACK } from '../../theme';
import { fieldError } from './field-errors';
import { LANGUAGE_LABELS } from './labels';

interface Loaded {
  html: string;
  custom: boolean;
  placeholders: Record<string, string>;
  sections: Record<string, string>;
}

/** Props: bumped when settings change (the preview follows them). */
export interface TemplateTabProps {
  settingsVersion: string;
}

/** The template tab. */
export function TemplateTab({ settingsVersion }: TemplateTabProps) {
  const toast = useToast();
  const [language, setLanguage] = useState<Language>('en');
  const [platform, setPlatform] = useState<'ios' | 'macos'>('ios');
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [html, setHtml] = useState('');
  const [preview, setPreview] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editor = useRef<HTMLTextAreaElement>(null);
  const draft = useDebounced(html, 350);

  useEffect(() => {
    let live = true;
    setLoaded(null);
    api()
      .invoke('registration:template-get', { language })
      .then((r) => {
        if (!live) return;
        setLoaded({ html: r.template.html, custom: r.template.custom, placeholders: r.placeholders, sections: r.sections });
        setHtml(r.template.html);
      })
      .catch((err: unknown) => live && setProblem(fieldError(err).message));
    return () => {
      live = false;
    };
  }, [language]);

  useEffect(() => {
    if (!loaded || !draft) return;
    let live = true;
    api()
      .invoke('registration:template-preview', { language, html: draft, platform })
      .then((r) => live && (setPreview(r.html), setProblem(null)))
      .catch((err: unknown) => live && setProblem(fieldError(err).message));
    return () => {
      live = false;
    };
  }, [draft, language, platform, loaded, settingsVersion]);

  const insert = (text: string) => {
    const el = editor.current;
    const at = el?.selectionStart ?? html.length;
    const end = el?.selectionEnd ?? at;
    setHtml(html.slice(0, at) + text + html.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + text.length, at + text.length);
    });
  };
  const save = async () => {
    setBusy(true);
    try {
      const t = await api().invoke('registration:template-save', { language, html });
      setLoaded((l) => (l ? { ...l, html: t.html, custom: t.custom } : l));
      toast({ severity: 'success', message: `${LANGUAGE_LABELS[language]} invitation template saved` });
    } catch (err) {
      setProblem(fieldError(err).message);
    } finally {
      setBusy(false);
    }
  };
  const reset = async () => {
    setBusy(true);
    try {
      const t = await api().invoke('registration:template-reset', { language });
      setLoaded((l) => (l ? { ...l, html: t.html, custom: t.custom } : l));
      setHtml(t.html);
      toast({ severity: 'success', message: `${LANGUAGE_LABELS[language]} template reset to the shipped one` });
    } catch (err) {
      toast({ severity: 'error', message: `Reset failed: ${fieldError(err).message}` });
    } finally {
      setBusy(false);
    }
  };
  const dirty = !!loaded && html !== loaded.html;
  return (
    <Stack spacing={2} data-testid="template-editor">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
        <ToggleButtonGroup size="small" exclusive value={language} onChange={(_, v: Language | null) => v && setLanguage(v)} aria-label="Template language">
          {(Object.keys(LANGUAGE_LABELS) as Language[]).map((l) => <ToggleButton key={l} value={l} sx={{ textTransform: 'none', px: 1.5 }}>{LANGUAGE_LABELS[l]}</ToggleButton>)}
        </ToggleButtonGroup>
        <ToggleButtonGroup size="small" exclusive value={platform} onChange={(_, v: 'ios' | 'macos' | null) => v && setPlatform(v)} aria-label="Preview for">
          <ToggleButton value="ios" sx={{ textTransform: 'none' }}>Preview: iPhone / iPad</ToggleButton>
          <ToggleButton value="macos" sx={{ textTransform: 'none' }}>Mac</ToggleButton>
        </ToggleButtonGroup>
        {loaded && <Chip size="small" variant="outlined" label={loaded.custom ? 'Your template' : 'Shipped template'} color={loaded.custom ? 'primary' : 'default'} />}
        {dirty && <Chip size="small" color="warning" label="Unsaved changes" />}
        <Stack sx={{ flexGrow: 1 }} />
        <Button disabled={busy || !loaded?.custom} onClick={() => void reset()}>Reset to shipped</Button>
        <Button variant="contained" disabled={busy || !dirty} onClick={() => void save()}>Save template</Button>
      </Stack>
      {problem && <Alert severity="error" data-testid="template-problem">{problem}</Alert>}
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, lg: 6 }}>
          <Card sx={{ p: 2 }}>
            <TextField
              inputRef={editor}
              multiline
              minRows={22}
              maxRows={22}
              fullWidth
              value={html}
              onChange={(e) => setHtml(e.target.value)}
              slotProps={{ htmlInput: { 'aria-label': 'Template HTML', spellCheck: false, style: { fontFamily: MONO_STACK, fontSize: 12.5, lineHeight: 1.5 } } }}
            />
            <Typography variant="subtitle2" sx={{ mt: 2, mb: 1 }}>Placeholders — click to insert</Typography>
            <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 0.75 }}>
              {Object.entries(loaded?.placeholders ?? {}).map(([k, v]) => (
                <Tooltip key={k} title={v}>
                  <Chip size="small" label={`$${k}$`} onClick={() => insert(`$${k}$`)} sx={{ fontFamily: MONO_STACK }} />
                </Tooltip>
              ))}
            </Stack>
            <Typography variant="subtitle2" sx={{ mt: 2, mb: 1 }}>Sections — kept when the condition holds</Typography>
            <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 0.75 }}>
              {Object.entries(loaded?.sections ?? {}).map(([k, v]) => (
                <Tooltip key={k} title={v}>
                  <Chip size="small" variant="outlined" label={`if:${k}`} onClick={() => insert(`<!--if:${k}-->\n\n<!--end:${k}-->`)} sx={{ fontFamily: MONO_STACK }} />
                </Tooltip>
              ))}
            </Stack>
          </Card>
        </Grid>
        <Grid size={{ xs: 12, lg: 6 }}>
          <Card sx={{ p: 0, overflow: 'hidden', bgcolor: '#e9ecef' }}>
            <Typography variant="caption" color="text.secondary" sx={{ display: 'block', px: 2, pt: 1 }}>
              Live preview for a sample user (Alex Example) with the current settings and a sample PIN
            </Typography>
            <Box component="iframe" title="Invitation preview" sandbox="" srcDoc={preview} data-testid="template-preview" sx={{ display: 'block', width: '100%', height: 720, border: 0, bgcolor: '#fff' }} />
          </Card>
        </Grid>
      </Grid>
    </Stack>
  );
}

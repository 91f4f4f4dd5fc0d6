/** Verify a profile file: signature, signer chain, optional trust against a CA, payload summary. */
import { useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import GppGoodIcon from '@mui/icons-material/GppGood';
import type { VerifyResult } from '../../../../main/ipc/contract';
import { api, messageOf } from '../../api';
import { FilePicker } from '../../components/FilePicker';
import { SectionCard } from '../../components/SectionCard';
import { fileToBase64, formatDate, formatDateTime } from '../../files';
import { algorithmName } from './algorithms';

/** Headline of a verification result. */
export function verdict(r: VerifyResult): { severity: 'success' | 'warning' | 'error'; text: string } {
  if (!r.signed) return { severity: 'warning', text: 'The profile is not signed' };
  if (!r.valid) return { severity: 'error', text: r.caChecked ? 'Signature or trust check failed' : 'The signature does not verify' };
  if (r.caChecked) return { severity: 'success', text: 'Signature valid and trusted by the given CA' };
  return { severity: 'success', text: 'Signature valid (add a CA certificate to check trust)' };
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <TableRow>
      <TableCell component="th" scope="row" sx={{ width: 120, color: 'text.secondary', verticalAlign: 'top' }}>
        {label}
      </TableCell>
      <TableCell sx={{ wordBreak: 'break-word' }}>{children}</TableCell>
    </TableRow>
  );
}

/** The verify card. */
export function VerifyCard() {
  const [file, setFile] = useState<File | null>(null);
  const [ca, setCa] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<VerifyResult | null>(null);

  const verify = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const caPem = ca ? await ca.text() : undefined;
      setResult(await api().invoke('profiles:verify', { bytesBase64: await fileToBase64(file), ...(caPem ? { caPem } : {}) }));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const v = result ? verdict(result) : null;
  return (
    <SectionCard title="Verify a profile" subtitle="Check the signature of a .mobileconfig file, optionally against a CA." testId="verify">
      <Stack spacing={2}>
        <FilePicker
          label="Choose profile"
          name="verify-file"
          accept=".mobileconfig,.plist,.xml,.p7m"
          fileNames={file ? [file.name] : []}
          onFiles={(f) => {
            setFile(f[0]);
            setResult(null);
          }}
        />
        <FilePicker label="CA certificate" name="verify-ca" accept=".pem,.crt,.cer" fileNames={ca ? [ca.name] : []} placeholder="Optional (PEM)" onFiles={(f) => setCa(f[0])} />
        <Stack direction="row" spacing={1}>
          <Button variant="contained" startIcon={<GppGoodIcon />} disabled={!file || busy} onClick={() => void verify()}>
            {busy ? 'Verifying…' : 'Verify'}
          </Button>
          {ca && <Button onClick={() => setCa(null)}>Remove CA</Button>}
        </Stack>
        {error && <Alert severity="error">{error}</Alert>}
        {result && v && (
          <Stack spacing={1.5} data-testid="verify-result">
            <Alert severity={v.severity}>
              <AlertTitle>{v.text}</AlertTitle>
              {result.problems.length > 0 && result.problems.map((p) => <div key={p}>{p}</div>)}
            </Alert>
            <Table size="small">
              <TableBody>
                <Row label="Profile">
                  {result.displayName ?? '—'}
                  {result.identifier ? ` (${result.identifier})` : ''}
                </Row>
                <Row label="Payloads">
                  <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 0.5 }}>
                    {result.payloads.map((t) => (
                      <Chip key={t} size="small" label={t} />
                    ))}
                  </Stack>
                </Row>
                {result.signed && <Row label="Signer">{result.signer ?? '—'}</Row>}
                {result.signingTime && <Row label="Signed">{formatDateTime(result.signingTime)}</Row>}
                {result.signed && (
                  <Row label="Algorithms">{[result.digestAlgorithm, result.signatureAlgorithm].filter((a): a is string => !!a).map(algorithmName).join(' · ') || '—'}</Row>
                )}
                {result.chain.length > 0 && (
                  <Row label="Chain">
                    <Stack spacing={0.5}>
                      {result.chain.map((c) => (
                        <div key={c.fingerprintSha256}>
                          {c.subject}
                          <br />
                          <small>valid until {formatDate(c.notAfter)}</small>
                        </div>
                      ))}
                    </Stack>
                  </Row>
                )}
              </TableBody>
            </Table>
          </Stack>
        )}
      </Stack>
    </SectionCard>
  );
}

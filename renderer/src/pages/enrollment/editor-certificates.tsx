/**
 * Certificates of a DEP profile: anchor certificates [anchor_certs] and supervising host
 * certificates [supervising_host_certs], each a list of base64-DER certificates. Certificates are
 * added from PEM or DER files; main reads them (`dep:inspect-certificate`, node:crypto
 * X509Certificate) and answers subject, validity and SHA-256 fingerprint, which each row shows.
 * A file that is not a certificate is refused with main's message under the picker; the
 * service's issues per entry (`anchorCerts[1]`) show on the entry's row.
 */
import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import FormHelperText from '@mui/material/FormHelperText';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import WorkspacePremiumOutlinedIcon from '@mui/icons-material/WorkspacePremiumOutlined';
import type { DepCertificateOut } from '../../../../main/ipc/contract-dep';
import { api, messageOf } from '../../api';
import { FilePicker } from '../../components/FilePicker';
import { fileToBase64, formatDate } from '../../files';
import type { SectionProps } from './editor-fields';
import { certificateEntryBase64 } from './editor-model';

/** The form's certificate lists. */
type CertField = 'anchorCerts' | 'supervisingHostCerts';

/** At most this many certificates per list (the contract's limit). */
const MAX_CERTS = 20;
/** Larger files are refused before they are sent (a certificate is a few KB). */
const MAX_FILE_BYTES = 100_000;

/** What is known of an entry: its details, or main's reason it is not a certificate. */
type EntryInfo = { cert: DepCertificateOut } | { error: string };

/** The Certificates section: anchor certificates and supervising host certificates. */
export function CertificatesSection({ form, set, issue }: SectionProps) {
  return (
    <Stack spacing={3}>
      <CertificateList
        field="anchorCerts" appleKey="anchor_certs" title="Anchor certificates" entries={form.anchorCerts} issue={issue}
        onChange={(v) => set({ anchorCerts: v })}
        help="Trusted by the device when it evaluates the TLS connection to the MDM enrollment URL (e.g. a private root CA)."
      />
      <CertificateList
        field="supervisingHostCerts" appleKey="supervising_host_certs" title="Supervising host certificates" entries={form.supervisingHostCerts} issue={issue}
        onChange={(v) => set({ supervisingHostCerts: v })}
        help={`Hosts holding one of these certificates can pair with the device even when Allow Pairing is off. Unused when Supervised is off${form.supervised ? '' : ' (it is off now)'}.`}
      />
    </Stack>
  );
}

interface CertificateListProps {
  field: CertField;
  appleKey: string;
  title: string;
  help: string;
  entries: string[];
  onChange: (next: string[]) => void;
  issue: SectionProps['issue'];
}

/** One list: the entries with their details and a remove button, and a file picker to add. */
function CertificateList({ field, appleKey, title, help, entries, onChange, issue }: CertificateListProps) {
  const [infos, setInfos] = useState<ReadonlyMap<string, EntryInfo>>(new Map());
  const [pickError, setPickError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Entries loaded with the profile (or typed in elsewhere) are inspected once each.
  useEffect(() => {
    const unknown = entries.filter((e) => !infos.has(e));
    if (unknown.length === 0) return;
    let live = true;
    void Promise.all(unknown.map(async (e): Promise<[string, EntryInfo]> => {
      try {
        const r = await api().invoke('dep:inspect-certificate', { bytesBase64: certificateEntryBase64(e) });
        return r.certificates.length === 1 ? [e, { cert: r.certificates[0] }] : [e, { error: 'holds more than one certificate; remove it and add the file again' }];
      } catch (err) {
        return [e, { error: messageOf(err) }];
      }
    })).then((found) => { if (live) setInfos((m) => new Map([...m, ...found])); });
    return () => { live = false; };
  }, [entries, infos]);

  const add = async (files: File[]) => {
    setBusy(true);
    setPickError(null);
    const problems: string[] = [];
    const next = [...entries];
    const learned: [string, EntryInfo][] = [];
    for (const file of files) {
      if (file.size > MAX_FILE_BYTES) { problems.push(`“${file.name}” is too large to be a certificate (${Math.round(file.size / 1024)} KB)`); continue; }
      try {
        const r = await api().invoke('dep:inspect-certificate', { bytesBase64: await fileToBase64(file), fileName: file.name });
        for (const c of r.certificates) {
          if (next.includes(c.base64Der)) { problems.push(`${c.subject || file.name} is already in the list`); continue; }
          if (next.length >= MAX_CERTS) { problems.push(`at most ${MAX_CERTS} certificates per list`); break; }
          next.push(c.base64Der);
          learned.push([c.base64Der, { cert: c }]);
        }
      } catch (err) {
        problems.push(messageOf(err));
      }
    }
    setInfos((m) => new Map([...m, ...learned]));
    if (next.length !== entries.length) onChange(next);
    setPickError(problems.length ? problems.join('; ') : null);
    setBusy(false);
  };

  const listIssue = issue(field);
  return (
    <Stack spacing={1} data-testid={`cert-list-${field}`}>
      <Box>
        <Typography variant="subtitle2">{title} <Typography component="span" variant="caption" sx={{ fontFamily: 'monospace', color: 'text.secondary' }}>{appleKey}</Typography></Typography>
        <Typography variant="body2" color="text.secondary">{help}</Typography>
      </Box>
      {entries.length === 0 && <Typography variant="body2" color="text.secondary" sx={{ fontStyle: 'italic' }}>No certificates</Typography>}
      {entries.map((e, i) => (
        <CertificateRow key={`${i}:${e.slice(-24)}`} info={infos.get(e)} issue={issue(`${field}[${i}]`)} onRemove={() => onChange(entries.filter((_, j) => j !== i))} />
      ))}
      {listIssue && <FormHelperText error={listIssue.severity === 'error'}>{listIssue.message} [{listIssue.code}]</FormHelperText>}
      <FilePicker
        label={busy ? 'Reading…' : 'Add certificate'} name={`${field}-file`} multiple accept=".pem,.cer,.crt,.der,application/x-x509-ca-cert,application/pkix-cert"
        fileNames={[]} placeholder="PEM or DER (.pem, .cer, .crt, .der)" onFiles={(f) => void add(f)} error={pickError}
      />
    </Stack>
  );
}

/** One certificate: subject, issuer, expiry (flagged when past), SHA-256 fingerprint, the entry's issue, remove. */
function CertificateRow({ info, issue, onRemove }: { info: EntryInfo | undefined; issue: ReturnType<SectionProps['issue']>; onRemove: () => void }) {
  const cert = info && 'cert' in info ? info.cert : undefined;
  const label = cert ? cert.subject : 'certificate';
  return (
    <Stack direction="row" spacing={1.5} data-testid="cert-item" data-fingerprint={cert?.fingerprintSha256 ?? ''}
      sx={{ alignItems: 'flex-start', border: 1, borderColor: issue?.severity === 'error' ? 'error.main' : 'divider', borderRadius: 1, px: 1.5, py: 1 }}>
      <WorkspacePremiumOutlinedIcon color={cert ? 'action' : 'error'} sx={{ mt: 0.25 }} />
      <Stack sx={{ flexGrow: 1, minWidth: 0 }} spacing={0.25}>
        {cert ? (
          <>
            <Typography variant="body2" sx={{ fontWeight: 500, wordBreak: 'break-all' }} data-testid="cert-subject">{cert.subject}</Typography>
            <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
              <Typography variant="caption" color="text.secondary" sx={{ wordBreak: 'break-all' }}>Issuer {cert.issuer === cert.subject ? '(self-signed)' : cert.issuer}</Typography>
              <Typography variant="caption" color={cert.expired ? 'error' : 'text.secondary'} data-testid="cert-expiry">{cert.expired ? 'Expired' : 'Expires'} {formatDate(cert.notAfter)}</Typography>
              {cert.expired && <Chip size="small" color="warning" variant="outlined" label="Expired" />}
            </Stack>
            <Typography variant="caption" color="text.secondary" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }} data-testid="cert-sha256">SHA-256 {cert.fingerprintSha256}</Typography>
          </>
        ) : (
          <Typography variant="body2" color={info ? 'error' : 'text.secondary'}>{info && 'error' in info ? `Not a readable certificate: ${info.error}` : 'Reading…'}</Typography>
        )}
        {issue && <FormHelperText error={issue.severity === 'error'} sx={{ mx: 0, color: issue.severity === 'warning' ? 'warning.main' : undefined }}>{issue.message} [{issue.code}]</FormHelperText>}
      </Stack>
      <Tooltip title="Remove">
        <IconButton size="small" aria-label={`Remove ${label}`} onClick={onRemove}><DeleteOutlineIcon fontSize="small" /></IconButton>
      </Tooltip>
    </Stack>
  );
}

/**
 * QR codes for invitations, generated locally with the `qrcode` library (ISO/IEC 18004) — never
 * through a web QR service, so no PIN leaves the bench.
 */
import QRCode from 'qrcode';

/** PNG bytes of a QR code for `text`: error correction M, 4-module quiet zone, `width` pixels (default 320). */
export async function qrPng(text: string, width = 320): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 4, width });
}

/** The same QR code as a `data:image/png;base64,…` URL for HTML (templates, preview, PDF). */
export async function qrDataUrl(text: string, width = 320): Promise<string> {
  return `data:image/png;base64,${(await qrPng(text, width)).toString('base64')}`;
}

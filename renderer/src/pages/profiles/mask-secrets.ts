/**
 * Hides secret values in a profile's XML before it is shown: the string values of the keys
 * `Challenge` (SCEP), `Password` (Wi-Fi, PKCS#12 payload), `UserPassword` (EAP) and
 * `ProxyPassword` become `••••••••`. Only for display; exported files keep their content.
 */
const SECRET_VALUE = /(<key>(?:Challenge|Password|UserPassword|ProxyPassword)<\/key>\s*<string>)[^<]*(<\/string>)/g;

/** The XML with secret string values replaced by a mask. */
export function maskSecrets(xml: string): string {
  return xml.replace(SECRET_VALUE, '$1••••••••$2');
}

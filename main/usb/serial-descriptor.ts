/**
 * Parser of the iSerialNumber string an Apple device reports in DFU and recovery mode: space
 * separated `TAG:value` pairs (libirecovery `irecv_load_device_info_from_iboot_string`;
 * ../shared/reference/device-protocols.md §5.2), e.g.
 *   `CPID:8012 CPRV:10 CPFM:03 SCEP:01 BDID:3F ECID:001A2B3C4D5E6F70 IBFL:3C SRTG:[iBoot-3401.0.0.1.16]`
 * and the lower-cased, underscore-separated form seen in Windows driver paths, e.g.
 *   `cpid:8000_cprv:20_cpfm:03_scep:01_bdid:04_ecid:000004f7f2c71227_ibfl:1c_srtg:[iboot-2234.0.0.3.3]`.
 * Numeric tags are hexadecimal. The UDID of A12+/M-series devices is `%08X-%016X` of CPID and ECID.
 */
import { chipForCpid, macModelForBoard, type ChipInfo } from './chips';

/** Decoded identification of a device in DFU/recovery mode. Missing tags are undefined. */
export interface AppleDfuIdentity {
  /** Chip ID. */
  cpid?: number;
  /** Chip revision. */
  cprv?: number;
  /** Fuse mode: bit 0 security (secure), bit 1 production. */
  cpfm?: number;
  /** Security epoch. */
  scep?: number;
  /** Board ID. */
  bdid?: number;
  /** Exclusive chip ID (64-bit). */
  ecid?: bigint;
  /** iBoot flags (bit 2 = image4-aware). */
  ibfl?: number;
  /** SecureROM tag (DFU), e.g. "iBoot-3401.0.0.1.16". */
  srtg?: string;
  /** Serial number (recovery), e.g. "C02XXXXXXX". */
  srnm?: string;
  imei?: string;
  sdom?: number;
  sika?: number;
  /** Every tag as found (upper-case tag → raw value without brackets). */
  tags: Record<string, string>;
  /** Derived: secure (CPFM bit 0) and production (CPFM bit 1) fusing. */
  secure?: boolean;
  production?: boolean;
  /** Derived: chip from the CPID table, when known. */
  chip: ChipInfo | null;
  /** Derived: Mac model of the board, when known (M1 boards). */
  macModel: string | null;
  /** Derived: ECID as `0x`-prefixed upper-case hex (16 digits). */
  ecidHex?: string;
  /** Derived: `%08X-%016X` of CPID and ECID (A12+/M-series UDID form). */
  udid?: string;
}

const HEX_TAGS = new Set(['CPID', 'CPRV', 'CPFM', 'SCEP', 'BDID', 'IBFL', 'SDOM', 'SIKA']);
const PAIR = /(?:^|[\s_])([A-Za-z]{4}):(\[[^\]]*\]|[0-9A-Fa-fx]+)(?=[\s_]|$)/g;

/** Thrown when the string carries no `TAG:value` pair at all (not an Apple DFU/recovery descriptor). */
export class SerialDescriptorError extends Error {
  constructor(text: string) {
    super(`not an Apple DFU/recovery serial descriptor: "${text.slice(0, 80)}"`);
    this.name = 'SerialDescriptorError';
  }
}

/** Formats the A12+/M-series UDID `%08X-%016X` of `cpid` and `ecid`. */
export function formatEcidUdid(cpid: number, ecid: bigint): string {
  return `${cpid.toString(16).toUpperCase().padStart(8, '0')}-${ecid.toString(16).toUpperCase().padStart(16, '0')}`;
}

/** Parses an ECID given as `0x…` hex, bare hex (with letters or 16 digits) or decimal; throws RangeError. */
export function parseEcid(text: string): bigint {
  const t = text.trim();
  let v: bigint;
  try {
    if (/^0x[0-9a-f]+$/i.test(t)) v = BigInt(t);
    else if (/^[0-9]+$/.test(t) && t.length < 16) v = BigInt(t);
    else if (/^[0-9a-f]+$/i.test(t)) v = BigInt(`0x${t}`);
    else throw new Error('bad');
  } catch {
    throw new RangeError(`"${text}" is not an ECID (hex like 0x1A2B3C4D5E6F70 or decimal)`);
  }
  if (v <= 0n || v >= 1n << 64n) throw new RangeError(`ECID ${text} is out of range (64-bit)`);
  return v;
}

/**
 * Parses an iSerialNumber string (either form). Throws SerialDescriptorError when no tag is found;
 * unknown tags are kept in `tags`.
 */
export function parseSerialDescriptor(text: string): AppleDfuIdentity {
  const tags: Record<string, string> = {};
  for (const m of text.trim().matchAll(PAIR)) {
    const tag = m[1].toUpperCase();
    const raw = m[2];
    tags[tag] = raw.startsWith('[') ? raw.slice(1, -1) : raw;
  }
  if (Object.keys(tags).length === 0) throw new SerialDescriptorError(text);
  const num = (tag: string): number | undefined => {
    const v = tags[tag];
    if (v === undefined || !HEX_TAGS.has(tag) || !/^(0x)?[0-9a-f]+$/i.test(v)) return undefined;
    return parseInt(v.replace(/^0x/i, ''), 16);
  };
  const id: AppleDfuIdentity = {
    cpid: num('CPID'), cprv: num('CPRV'), cpfm: num('CPFM'), scep: num('SCEP'), bdid: num('BDID'), ibfl: num('IBFL'), sdom: num('SDOM'), sika: num('SIKA'),
    srtg: tags.SRTG, srnm: tags.SRNM, imei: tags.IMEI, tags, chip: null, macModel: null,
  };
  if (tags.ECID && /^(0x)?[0-9a-f]+$/i.test(tags.ECID)) id.ecid = BigInt(`0x${tags.ECID.replace(/^0x/i, '')}`);
  if (id.srnm) id.srnm = id.srnm.toUpperCase();
  if (id.cpfm !== undefined) {
    id.secure = (id.cpfm & 1) === 1;
    id.production = (id.cpfm & 2) === 2;
  }
  if (id.cpid !== undefined) {
    id.chip = chipForCpid(id.cpid, id.bdid);
    if (id.bdid !== undefined) id.macModel = macModelForBoard(id.cpid, id.bdid);
  }
  if (id.ecid !== undefined) {
    id.ecidHex = `0x${id.ecid.toString(16).toUpperCase().padStart(16, '0')}`;
    if (id.cpid !== undefined) id.udid = formatEcidUdid(id.cpid, id.ecid);
  }
  return id;
}

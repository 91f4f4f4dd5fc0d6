/**
 * CPID → chip name and family, from libirecovery `irecv_devices[]`
 * (../shared/reference/device-protocols.md §5.3). The board ID (BDID) tells models apart; the Mac
 * board IDs libirecovery lists for M1 are included.
 */

/** What kind of device a chip goes into. */
export type ChipFamily = 'mac' | 'iphone-ipad' | 'appletv' | 't2' | 'virtual';

/** One chip. */
export interface ChipInfo {
  cpid: number;
  name: string;
  family: ChipFamily;
}

const CHIPS: readonly ChipInfo[] = [
  { cpid: 0x8103, name: 'M1', family: 'mac' },
  { cpid: 0x6000, name: 'M1 Pro', family: 'mac' },
  { cpid: 0x6001, name: 'M1 Max', family: 'mac' },
  { cpid: 0x6002, name: 'M1 Ultra', family: 'mac' },
  { cpid: 0x8112, name: 'M2', family: 'mac' },
  { cpid: 0x6020, name: 'M2 Pro', family: 'mac' },
  { cpid: 0x6021, name: 'M2 Max', family: 'mac' },
  { cpid: 0x6022, name: 'M2 Ultra', family: 'mac' },
  { cpid: 0x8122, name: 'M3', family: 'mac' },
  { cpid: 0x6030, name: 'M3 Pro', family: 'mac' },
  { cpid: 0x6031, name: 'M3 Max', family: 'mac' },
  { cpid: 0x6034, name: 'M3 Max', family: 'mac' },
  { cpid: 0x6032, name: 'M3 Ultra', family: 'mac' },
  { cpid: 0x8132, name: 'M4', family: 'mac' },
  { cpid: 0x6040, name: 'M4 Pro', family: 'mac' },
  { cpid: 0x6041, name: 'M4 Max', family: 'mac' },
  { cpid: 0x8142, name: 'M5', family: 'mac' },
  { cpid: 0x8027, name: 'A12Z (Developer Transition Kit)', family: 'mac' },
  { cpid: 0x8012, name: 'T2', family: 't2' },
  { cpid: 0xfe00, name: 'VirtualMac', family: 'virtual' },
  { cpid: 0x8000, name: 'A9 (Samsung)', family: 'iphone-ipad' },
  { cpid: 0x8003, name: 'A9 (TSMC)', family: 'iphone-ipad' },
  { cpid: 0x8010, name: 'A10', family: 'iphone-ipad' },
  { cpid: 0x8011, name: 'A10X', family: 'iphone-ipad' },
  { cpid: 0x8015, name: 'A11', family: 'iphone-ipad' },
  { cpid: 0x8020, name: 'A12', family: 'iphone-ipad' },
  { cpid: 0x8030, name: 'A13', family: 'iphone-ipad' },
  { cpid: 0x8101, name: 'A14', family: 'iphone-ipad' },
  { cpid: 0x8110, name: 'A15', family: 'iphone-ipad' },
  { cpid: 0x8120, name: 'A16', family: 'iphone-ipad' },
  { cpid: 0x8130, name: 'A17 Pro', family: 'iphone-ipad' },
  { cpid: 0x8140, name: 'A18', family: 'iphone-ipad' },
  { cpid: 0x8150, name: 'A19', family: 'iphone-ipad' },
  { cpid: 0x7000, name: 'A8 (Apple TV HD)', family: 'appletv' },
];

/** Mac models by (CPID, BDID) where libirecovery names them (M1). */
const MAC_BOARDS: Readonly<Record<string, string>> = {
  '8103:22': 'Macmini9,1',
  '8103:24': 'MacBookPro17,1',
  '8103:26': 'MacBookAir10,1',
  '8103:28': 'iMac21,1',
  '8103:2a': 'iMac21,2',
};

/**
 * The chip of `cpid`, or null when unknown. CPID 0x8103 is M1 in Macs and M1 iPads alike; pass
 * `bdid` to get the family right for the board IDs libirecovery lists for Macs.
 */
export function chipForCpid(cpid: number, bdid?: number): ChipInfo | null {
  const c = CHIPS.find((x) => x.cpid === cpid);
  if (!c) return null;
  if (cpid === 0x8103 && bdid !== undefined && !MAC_BOARDS[`8103:${bdid.toString(16)}`]) return { ...c, family: 'iphone-ipad' };
  return c;
}

/** The model identifier of a Mac board (e.g. "Macmini9,1"), or null. */
export function macModelForBoard(cpid: number, bdid: number): string | null {
  return MAC_BOARDS[`${cpid.toString(16)}:${bdid.toString(16)}`] ?? null;
}

/** Every chip in the table. */
export function knownChips(): readonly ChipInfo[] {
  return CHIPS;
}

/** Staging at the bench: public face. */
export { stageDevices, STAGE_STEPS, NoDevicesError, type StageRequest } from './stage';
export { appleStagingTransport } from './apple-transport';
export type { StagingTransport, StagedDeviceInfo } from './transport';

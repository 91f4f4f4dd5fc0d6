/** Staging at the bench: public face. */
export { stageDevices, selectAttached, pairAndInfoSteps, STAGE_STEPS, NoDevicesError, type StageRequest } from './stage';
export { appleStagingTransport } from './apple-transport';
export type { StagingTransport, StagedDeviceInfo, DeviceWatch, DeviceWatchEvent } from './transport';
export { runDevices, waitForAttach, formatRunSummary, CANCELLED_MESSAGE, RunCancelledError, type RunStep, type StepIO, type StepOutcome, type DeviceRunProgress, type DeviceRunResult, type RunSummary, type RunDevicesOptions } from './runner';
export { DeviceLocks, sharedDeviceLocks, udidKey } from './device-lock';
export { DeviceStateMachine, IllegalTransitionError, type DeviceRunState } from './device-state';
export { DEFAULT_RETRY_POLICY, isTransientError, backoffMs, type RetryPolicy } from './retry';
export { appendDeviceLog, listDeviceLogs, type DeviceLogLine, type DeviceLogLevel } from './device-log';
export { HostPairingIdentity, pairWithIdentity } from './pairing';

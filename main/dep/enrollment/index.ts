/** Custom enrollment (x-apple-aspen-deviceinfo / MachineInfo) and enrollment errors (403 software update required): public face. */
export { verifyDeviceSignedData, DeviceInfoError } from './signed-data';
export type { SignedDataOptions, VerifiedSignedData, DeviceInfoFailure } from './signed-data';
export { parseMachineInfo, verifyMachineInfo, verifyAspenDeviceInfo, ASPEN_DEVICEINFO_HEADER } from './machine-info';
export type { MachineInfo, VerifiedMachineInfo } from './machine-info';
export {
  softwareUpdateDecision, softwareUpdateRequiredResponse, enrollmentSoftwareUpdateError, platformOfProduct, SOFTWARE_UPDATE_REQUIRED_CODE,
} from './software-update';
export type { SoftwareUpdateDecision, EnrollmentErrorResponse } from './software-update';

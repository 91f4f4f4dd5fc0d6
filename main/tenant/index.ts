/** The Ivanti tenant adapter: public face. */
export * from './errors';
export * from './retry';
export * from './types';
export { TenantHttp, normalizeTenantUrl, type TenantHttpOptions, type TenantRequest, type TenantResponse } from './http';
export { TenantClient, MAX_ROWS, type NewAccount, type AccountUpdate, type ProbeResult } from './client';
export * from './settings';

/** com.apple.mobile.MCInstall client. */
export * from './errors';
export * from './types';
export * from './client';

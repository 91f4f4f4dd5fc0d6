/**
 * electron-builder configuration for StageBench (run through `npm run dist` → scripts/dist.cjs).
 *
 * Targets: Linux AppImage + deb, macOS dmg (hardened runtime; signed and notarized only when the
 * credentials below are in the environment, skipped otherwise), Windows NSIS.
 *
 * Native modules: better-sqlite3 13 and usb 3 ship Node-API prebuilds that load in Electron as
 * they are, so nothing is rebuilt (`npmRebuild`, `nodeGypRebuild`, `buildDependenciesFromSource`
 * all false) and every `*.node` is unpacked from the asar (a .node file cannot be dlopen()ed from
 * inside it).
 *
 * Security fuses (docs/security.md): RunAsNode off, cookie encryption on, NODE_OPTIONS off,
 * --inspect off, embedded asar integrity validation on, app loaded only from the asar, no extra
 * file:// privileges. Playwright's `_electron.launch()` needs --inspect/--remote-debugging; the
 * e2e tests therefore run an unpackaged Electron (or the Chromium harness), never this build —
 * set STAGEBENCH_TEST_BUILD=1 to produce a test-only package with NodeCliInspect left on.
 *
 * Signing environment (all optional):
 *   macOS signing:      CSC_LINK (+ CSC_KEY_PASSWORD), or CSC_NAME for a keychain identity
 *   macOS notarization: APPLE_API_KEY + APPLE_API_KEY_ID + APPLE_API_ISSUER, or
 *                       APPLE_ID + APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID, or
 *                       APPLE_KEYCHAIN + APPLE_KEYCHAIN_PROFILE
 *   Windows signing:    WIN_CSC_LINK (+ WIN_CSC_KEY_PASSWORD), or CSC_LINK
 */
'use strict';

const env = process.env;
const has = (...names) => names.every((n) => typeof env[n] === 'string' && env[n] !== '');

/** True when a macOS signing identity is provided (file or keychain name). */
const macSigning = has('CSC_LINK') || has('CSC_NAME');
/** True when one complete set of notarization credentials is provided (and the app is signed). */
const macNotarize =
  macSigning &&
  (has('APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER') ||
    has('APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID') ||
    has('APPLE_KEYCHAIN', 'APPLE_KEYCHAIN_PROFILE'));
/** Test-only package: keeps --inspect (Playwright `_electron`) working. Never ship it. */
const testBuild = env.STAGEBENCH_TEST_BUILD === '1';

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'com.stagebench.app',
  productName: 'StageBench',
  copyright: 'Copyright © StageBench',
  directories: { output: 'dist', buildResources: 'build' },
  // The built app (electron-vite output) plus package.json; production node_modules are added by
  // electron-builder. resources/ is also inside the asar because main/registration/templates.ts
  // resolves the invitation templates relative to the bundle.
  files: ['out/**/*', 'package.json', 'resources/**/*', '!**/*.map', '!out/**/*.d.ts'],
  asar: true,
  asarUnpack: ['**/*.node'],
  // Catalogs, templates and the Linux udev rules, outside the asar: <resources>/resources/…
  extraResources: [{ from: 'resources', to: 'resources', filter: ['**/*'] }],
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: testBuild,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },
  fileAssociations: [
    {
      ext: 'mobileconfig',
      name: 'Configuration Profile',
      description: 'Apple configuration profile',
      mimeType: 'application/x-apple-aspen-config',
      role: 'Viewer',
      rank: 'Alternate',
    },
  ],
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Utility',
    icon: 'build/icon.png',
    executableName: 'stagebench-app',
    maintainer: 'StageBench <stagebench@example.invalid>',
    synopsis: 'Stage Apple devices and sign enrollment profiles for Ivanti MDM',
    mimeTypes: ['application/x-apple-aspen-config'],
  },
  deb: {
    // usbmuxd brokers the USB connection to iOS devices; libsecret backs safeStorage.
    depends: ['usbmuxd', 'libsecret-1-0', 'libgtk-3-0', 'libnss3', 'libxss1', 'libasound2 | libasound2t64'],
    recommends: ['libimobiledevice-utils'],
  },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.developer-tools',
    icon: 'build/icon.png',
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
    // identity null = do not sign (nor search the keychain) when no credentials are given.
    ...(macSigning ? {} : { identity: null }),
    notarize: macNotarize,
  },
  dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  win: {
    target: ['nsis'],
    icon: 'build/icon.png',
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    artifactName: '${productName}-Setup-${version}.${ext}',
  },
};

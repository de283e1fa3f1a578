// electron-builder configuration for `npm run dist` (npm run build && electron-builder --config <this file>).
// Packaging downloads Electron and the platform tools, so it is not part of the test gate; the settings below
// are checked by test/unit/shell/build-config.spec.ts.
//
// ---- SECURITY SETTINGS: do not change without review ---------------------------------------------------------
// - Only the built app is packed: build/out/main (main.cjs, preload.cjs: every npm dependency is bundled in by
//   build/scripts/build.mjs) and build/out/renderer, plus package.json. No sources, no tests, no test bundles
//   (build/out/e2e-renderer), and not the command line (build/out/cli: the app never runs it). electron-builder still walks the production dependencies listed in package.json,
//   applying these same patterns inside each one: only a dependency's package.json can match, never its code
//   (the test checks this with electron-builder's own matcher). Moving the bundled-only dependencies to
//   devDependencies would remove even those stubs.
// - asar on; with the onlyLoadAppFromAsar and embeddedAsarIntegrityValidation fuses nothing outside the
//   integrity-checked app.asar can be loaded as the app (https://www.electronjs.org/docs/latest/tutorial/fuses,
//   https://www.electronjs.org/docs/latest/tutorial/asar-integrity). Limit: Electron validates asar integrity on
//   macOS and Windows only; on Linux (AppImage, deb) the fuse has no effect and the package's own file
//   permissions (root-owned install for deb; the read-only squashfs of an AppImage) are what protect app.asar.
// - Fuses flipped in the binary itself, so environment variables and flags cannot undo them on an operator's
//   machine: no ELECTRON_RUN_AS_NODE (the binary would be a general Node), no NODE_OPTIONS / NODE_EXTRA_CA_CERTS,
//   no --inspect / SIGUSR1 debugger, cookies encrypted (we keep none, but Chromium's store must not be plaintext),
//   no extra privileges for file:// (the app is served from app:// only).
// - No publishing and no auto-update: an air-gapped signer is updated by the operator copying a checked
//   installer, never by itself. There is no electron-updater dependency (the test checks package.json too).
// - No native rebuild (there are no native modules; a rebuild would fetch Node headers).
// ----------------------------------------------------------------------------------------------------------------
'use strict';

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'org.offlinesigner.desktop',
  productName: 'Offline Signer',
  copyright: 'Offline Signer authors',
  // Paths in this file are relative to the project root (the folder holding package.json).
  directories: {
    app: '.',
    output: 'dist',
    // Not `build/` (electron-builder's default): that folder holds our scripts and output, and electron-builder
    // treats its resources folder specially. Icons and installer resources go to build/resources.
    buildResources: 'build/resources',
  },
  files: [
    'package.json',
    'build/out/**',
    '!build/out/e2e-renderer{,/**}',
    '!build/out/cli{,/**}',
    '!**/*.map',
    '!node_modules{,/**}',
  ],
  extraMetadata: { main: 'build/out/main/main.cjs' },
  // The exact version pinned in package.json (the test checks they agree); packaging never picks another one.
  electronVersion: '45.4.1',
  asar: true,
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },
  publish: null,
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Finance',
    executableName: 'offline-signer',
    synopsis: 'Air-gapped signer for BitGo multisig UTXO wallets',
    maintainer: 'Offline Signer authors',
  },
  deb: {
    priority: 'optional',
  },
  win: {
    target: ['nsis'],
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    // No "run after finish" into an unlocked state: the operator starts the app deliberately.
    runAfterFinish: false,
    // Block maps exist only for differential auto-updates, which we do not have.
    differentialPackage: false,
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.finance',
    hardenedRuntime: true,
    // macOS asks for camera access with this text (camera QR import); nothing else is requested.
    extendInfo: {
      NSCameraUsageDescription: 'Offline Signer reads transaction QR codes with the camera. Video stays on this computer.',
    },
  },
  dmg: {
    // Update metadata (block maps) only serves auto-update.
    writeUpdateInfo: false,
  },
};

module.exports = config;

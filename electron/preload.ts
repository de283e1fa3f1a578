// The preload: one frozen `window.signer`, generated from the contract (shared/contract.ts). It never exposes
// ipcRenderer or any Electron object; it only forwards a contract channel and its payload. Main checks who is
// calling and validates the payload; this file decides nothing.
import { contextBridge, ipcRenderer } from 'electron';
import { buildSignerApi } from '../shared/bridge';

contextBridge.exposeInMainWorld(
  'signer',
  buildSignerApi((channel, payload) => ipcRenderer.invoke(channel, payload)),
);

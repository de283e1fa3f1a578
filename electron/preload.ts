// The preload: one frozen `window.signer`, generated from the contract (shared/contract.ts). It never exposes
// ipcRenderer or any Electron object (not even the event object of a push): it only forwards a contract channel
// and its payload. Main checks who is calling and validates the payload; this file decides nothing.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildSignerApi } from '../shared/bridge';

contextBridge.exposeInMainWorld(
  'signer',
  buildSignerApi(
    (channel, payload) => ipcRenderer.invoke(channel, payload),
    (channel, listener) => {
      const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, wrapped);
      return () => {
        ipcRenderer.removeListener(channel, wrapped);
      };
    },
  ),
);

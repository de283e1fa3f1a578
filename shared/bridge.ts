// Builds the `window.signer` object from the contract, given a transport that carries (channel, payload) to the
// main router. The preload passes ipcRenderer.invoke; nothing else is exposed. Only contract channels can be
// reached: the object has exactly one function per contract entry and is frozen.
import { CONTRACT, METHODS, type IpcResult, type SignerApi } from './contract';

export type Invoke = (channel: string, payload: unknown) => Promise<unknown>;

export function buildSignerApi(invoke: Invoke): SignerApi {
  const api: Record<string, (payload?: unknown) => Promise<IpcResult<unknown>>> = {};
  for (const method of METHODS) {
    const channel = CONTRACT[method].channel;
    api[method] = (payload?: unknown) => invoke(channel, payload ?? {}) as Promise<IpcResult<unknown>>;
  }
  return Object.freeze(api) as unknown as SignerApi;
}

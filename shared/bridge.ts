// Builds the `window.signer` object from the contract, given the transport to main: `invoke` carries
// (channel, payload) to the main router; `subscribe` attaches a listener to one event channel. The preload passes
// ipcRenderer.invoke / ipcRenderer.on; nothing else is exposed. Only contract channels can be reached: the object
// has exactly one function per contract method plus `on`, which accepts only contract event names, and is frozen.
import { CONTRACT, EVENTS, METHODS, type EventName, type IpcResult, type SignerApi } from './contract';

export type Invoke = (channel: string, payload: unknown) => Promise<unknown>;
export type Subscribe = (channel: string, listener: (payload: unknown) => void) => () => void;

export function buildSignerApi(invoke: Invoke, subscribe: Subscribe): SignerApi {
  const api: Record<string, unknown> = {};
  for (const method of METHODS) {
    const channel = CONTRACT[method].channel;
    api[method] = (payload?: unknown) => invoke(channel, payload ?? {}) as Promise<IpcResult<unknown>>;
  }
  api.on = (event: unknown, listener: unknown) => {
    if (typeof event !== 'string' || !Object.prototype.hasOwnProperty.call(EVENTS, event)) throw new TypeError(`unknown signer event ${String(event).slice(0, 60)}`);
    if (typeof listener !== 'function') throw new TypeError('signer.on needs a listener function');
    return subscribe(EVENTS[event as EventName].channel, (payload) => (listener as (p: unknown) => void)(payload));
  };
  return Object.freeze(api) as unknown as SignerApi;
}

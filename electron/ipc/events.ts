// Main -> renderer events, built from main-side state changes. Plain TypeScript: main.ts passes
// webContents.send as `emit`, the test bridge passes a page dispatch. Payloads carry ids and flags only.
import { EVENTS, type EventName, type EventPayloadOf } from '../../shared/contract';
import type { Vault } from '../keystore/vault';

/**
 * Sends one event to the window. Electron's webContents.send hands the message to another thread and returns; the
 * test bridge needs this process's event loop to deliver it, so it returns a promise that settles once the page
 * has it, and a caller that must not run ahead of the screen (signing progress) awaits it.
 */
export type Emit = <E extends EventName>(channel: (typeof EVENTS)[E]['channel'], payload: EventPayloadOf<E>) => void | Promise<void>;

/** Forwards the vault's lock/unlock changes (including idle auto-lock) as walletChanged events; returns unsubscribe. */
export function forwardVaultEvents(vault: Vault, emit: Emit): () => void {
  return vault.onChange((walletId, unlocked) => emit<'walletChanged'>(EVENTS.walletChanged.channel, { walletId, unlocked }));
}

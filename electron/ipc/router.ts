// The main-side IPC router: plain TypeScript, no electron import, so Node tests and the Chromium test bridge call
// the very same code that main.ts registers with ipcMain.handle.
//
// Order matters (VS Code's ipcMain wrapper, Signal's permission code): first WHO is calling (a channel we own,
// from the top frame, from the app's own origin), and only then WHAT was asked (the payload's schema). A call
// that fails the first check never has its payload read. Handlers then return data or throw a SignerError; both
// cross IPC as data (`IpcResult`), never as a thrown Error whose message Electron would rewrite.
import { CONTRACT, METHODS, type InputOf, type IpcResult, type MethodName, type OutputOf } from '../../shared/contract';
import { SignerError, toErrorData, type ErrorCode } from '../../shared/errors';

/** One IPC call, as main.ts adapts it from an IpcMainInvokeEvent (or the test bridge from a page binding). */
export interface IpcCall {
  channel: string;
  /** URL of the frame that sent the call (event.senderFrame.url). */
  senderUrl: string;
  /** True only for the window's main frame (event.senderFrame === webContents.mainFrame). */
  isTopFrame: boolean;
  payload: unknown;
}

export type Handlers = {
  [M in MethodName]: (input: InputOf<M>) => Promise<OutputOf<M>> | OutputOf<M>;
};

export interface RouterOptions {
  /** The app's own origin, e.g. 'app://signer' in Electron or 'https://signer.invalid' in the test bridge. */
  appOrigin: string;
  /** Told about refused calls (already free of payload content). */
  onRefused?: (channel: string, code: string) => void;
  /** Told about handler failures that were not SignerErrors (bugs); the error itself, for the redacted log. */
  onInternalError?: (channel: string, error: unknown) => void;
}

export interface Router {
  /** Exactly the contract's channels, for main.ts to register. */
  readonly channels: readonly string[];
  handle(call: IpcCall): Promise<IpcResult<unknown>>;
}

class IpcRefusedError extends SignerError {
  constructor(message: string, code: ErrorCode) {
    super('IpcRefusedError', message, code);
  }
}

/**
 * 'scheme://host[:port]' of a URL. WHATWG URL gives custom schemes such as app:// an opaque origin ("null"), so
 * the origin is rebuilt from protocol and host, which the URL parser has already normalised.
 */
export function originOf(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.host === '') return null;
  return `${u.protocol}//${u.host}`;
}

/**
 * Key material that must never leave main: BIP32 extended private keys (xprv/tprv and the SLIP-132 y/z/u/v
 * variants), as base58 of their fixed length. Applied to every response as a last line of defence; the handlers
 * are written never to produce one, and the tests scan for more (WIF, seeds, the fixture passphrases).
 */
const EXTENDED_PRIVATE_KEY = /[xtyzuv]prv[1-9A-HJ-NP-Za-km-z]{100,112}/;

function containsPrivateKey(value: unknown): boolean {
  let text: string;
  try {
    text = JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? undefined : v)) ?? '';
  } catch {
    return true; // not JSON-serialisable: refuse rather than guess
  }
  return EXTENDED_PRIVATE_KEY.test(text);
}

export function createRouter(handlers: Handlers, opts: RouterOptions): Router {
  const expectedOrigin = originOf(opts.appOrigin);
  if (expectedOrigin === null) throw new Error(`router: app origin ${opts.appOrigin} is not a URL origin`);
  const byChannel = new Map<string, MethodName>(METHODS.map((m) => [CONTRACT[m].channel, m]));

  const refuse = (channel: string, e: IpcRefusedError): IpcResult<unknown> => {
    opts.onRefused?.(channel, e.code ?? 'ipc_refused');
    return { ok: false, error: e.toData() };
  };

  return {
    channels: [...byChannel.keys()],
    async handle(call: IpcCall): Promise<IpcResult<unknown>> {
      const channel = typeof call.channel === 'string' ? call.channel.slice(0, 100) : '';
      const method = byChannel.get(channel);
      if (method === undefined) {
        return refuse(channel, new IpcRefusedError(`unknown IPC channel ${JSON.stringify(channel)}`, 'ipc_unknown_channel'));
      }
      if (call.isTopFrame !== true) {
        return refuse(channel, new IpcRefusedError(`${channel}: refused a call from a sub-frame; only the app's own window may call`, 'ipc_sender_not_top_frame'));
      }
      const origin = typeof call.senderUrl === 'string' ? originOf(call.senderUrl) : null;
      if (origin !== expectedOrigin) {
        return refuse(channel, new IpcRefusedError(`${channel}: refused a call from ${origin ?? 'an unknown origin'}; only ${expectedOrigin} may call`, 'ipc_sender_wrong_origin'));
      }
      try {
        const input: unknown = CONTRACT[method].input.parse(call.payload);
        const handler = handlers[method] as (input: unknown) => unknown;
        const value: unknown = await handler(input);
        if (containsPrivateKey(value)) {
          throw new IpcRefusedError(`${channel}: the response was withheld because it contained key material`, 'ipc_response_withheld');
        }
        return { ok: true, value };
      } catch (e) {
        if (!(e instanceof SignerError)) opts.onInternalError?.(channel, e);
        // Non-SignerErrors are bugs: their message may carry anything, so only a generic one crosses IPC.
        return { ok: false, error: e instanceof SignerError ? e.toData() : { ...toErrorData(new Error(`${channel} failed unexpectedly`)), name: 'InternalError' } };
      }
    },
  };
}

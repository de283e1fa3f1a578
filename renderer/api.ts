// The only module that touches window.signer (the preload's frozen bridge, or the test bridge). It unwraps the
// IPC result: data is returned, a coded error is thrown as ApiError so components switch on `code`.
import type { EventName, EventPayloadOf, InputOf, IpcResult, MethodName, OutputOf, SignerApi } from '../shared/contract';
import type { ErrorData } from '../shared/errors';
import type { ReviewPageOf, ReviewPart } from '../shared/review-page';

declare global {
  interface Window {
    readonly signer?: SignerApi;
  }
}

export class ApiError extends Error {
  readonly code: string;
  constructor(data: ErrorData) {
    super(data.error);
    this.name = data.name;
    this.code = data.code ?? 'unknown_error';
  }
}

function bridge(): SignerApi {
  const s = window.signer;
  if (!s) throw new ApiError({ error: 'The signer bridge is missing: this page must run inside the Offline Signer app.', name: 'BridgeError', code: 'bridge_missing' });
  return s;
}

async function call<M extends MethodName>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
  const fn = bridge()[method] as (input: InputOf<M>) => Promise<IpcResult<OutputOf<M>>>;
  const result = await fn(input);
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}

export const api = {
  status: () => call('appStatus', {}),
  openDemoKeyStore: () => call('keyStoreOpenDemo', {}),
  openKeyStoreDialog: () => call('keyStoreOpenDialog', {}),
  listWallets: () => call('walletsList', {}),
  unlock: (walletId: string, passphrase: string) => call('walletUnlock', { walletId, passphrase }),
  lock: (walletId: string) => call('walletLock', { walletId }),
  unlockReceiptKey: (passphrase: string) => call('receiptKeyUnlock', { passphrase }),
  lockReceiptKey: () => call('receiptKeyLock', {}),
  lockAll: () => call('walletsLockAll', {}),
  getIdleLock: () => call('idleLockGet', {}),
  setIdleLock: (minutes: number) => call('idleLockSet', { minutes }),
  listDrives: () => call('drivesList', {}),
  listDriveFiles: (driveId: string) => call('driveFiles', { driveId }),
  importRequests: (driveId: string, files: string[], psbtWallet?: string, psbtNetwork?: 'bitcoin' | 'testnet') =>
    call('requestsImport', { driveId, files, ...(psbtWallet === undefined ? {} : { psbtWallet }), ...(psbtNetwork === undefined ? {} : { psbtNetwork }) }),
  listRequests: () => call('requestsList', {}),
  reviewRequest: (requestId: string) => call('requestReview', { requestId }),
  /** Rows offset .. offset + limit - 1 of a review's inputs (of one group, when named), outputs or recipients. */
  reviewPage: <P extends ReviewPart>(requestId: string, part: P, offset: number, limit: number, group?: string) =>
    call('requestReviewPage', { requestId, part, offset, limit, ...(group === undefined ? {} : { group }) }) as Promise<ReviewPageOf<P>>,
  approveRequest: (requestId: string, fingerprint: string, acknowledged: string[]) => call('requestApprove', { requestId, fingerprint, acknowledged }),
  rejectRequest: (requestId: string, reason: string) => call('requestReject', reason === '' ? { requestId } : { requestId, reason }),
  signApproved: () => call('requestsSign', {}),
  cancelSigning: (batchId: string) => call('requestsSignCancel', { batchId }),
  exportSigned: () => call('requestsExport', {}),
  sessionSummary: () => call('sessionSummary', {}),
  exportSessionSummary: (driveId: string) => call('sessionSummaryExport', { driveId }),
  scanQrFrame: (text: string) => call('qrScanFrame', { text }),
  resetQrScan: () => call('qrScanReset', {}),
  chooseScannedWallet: (walletId: string, psbtNetwork?: 'bitcoin' | 'testnet') => call('qrScanChooseWallet', { walletId, ...(psbtNetwork === undefined ? {} : { psbtNetwork }) }),
  showQrFrames: (requestId: string, opts: Omit<InputOf<'qrShowFrames'>, 'requestId'>) => call('qrShowFrames', { requestId, ...opts }),
  ceremonySelfTest: () => call('ceremonySelfTest', {}),
  ceremonyCreate: (input: InputOf<'ceremonyCreate'>) => call('ceremonyCreate', input),
  ceremonyView: () => call('ceremonyView', {}),
  ceremonyAudit: (box: string, passphrase: string, publishedXpub: string) => call('ceremonyAudit', { box, passphrase, publishedXpub }),
  ceremonyExport: (input: InputOf<'ceremonyExport'>) => call('ceremonyExport', input),
  ceremonyReencrypt: (input: InputOf<'ceremonyReencrypt'>) => call('ceremonyReencrypt', input),
  ceremonyVerifyShards: (input: InputOf<'ceremonyVerifyShards'>) => call('ceremonyVerifyShards', input),
  ceremonyShardsCreate: (input: InputOf<'ceremonyShardsCreate'>) => call('ceremonyShardsCreate', input),
  ceremonyShardsRecombine: (input: InputOf<'ceremonyShardsRecombine'>) => call('ceremonyShardsRecombine', input),
  ceremonyShardsReshard: (input: InputOf<'ceremonyShardsReshard'>) => call('ceremonyShardsReshard', input),
  ceremonyKeyFileReencrypt: (input: InputOf<'ceremonyKeyFileReencrypt'>) => call('ceremonyKeyFileReencrypt', input),
  ceremonyCheck: (input: InputOf<'ceremonyCheck'>) => call('ceremonyCheck', input),
  ceremonyEntropySave: (driveId: string) => call('ceremonyEntropySave', { driveId }),
  ceremonyRegister: (confirmWalletId: string) => call('ceremonyRegister', { confirmWalletId }),
  ceremonyKeyFileSave: (driveId: string) => call('ceremonyKeyFileSave', { driveId }),
  ceremonySaveKeyCard: (driveId: string, bitgoXpub?: string) => call('ceremonyKeyCardSave', { driveId, ...(bitgoXpub === undefined || bitgoXpub === '' ? {} : { bitgoXpub }) }),
  registry: () => call('registryGet', {}),
  registryAdd: (input: InputOf<'registryAdd'>) => call('registryAdd', input),
  registryConfirm: (input: InputOf<'registryConfirm'>) => call('registryConfirm', input),
  registryRemove: (walletId: string, confirmWalletId: string) => call('registryRemove', { walletId, confirmWalletId }),
  registryKeyCheck: (walletId: string, key: string) => call('registryKeyCheck', { walletId, key }),
  registryPinKey: (walletId: string, key: string, lastCharacters: string) => call('registryPinKey', { walletId, key, lastCharacters }),
  registryUnpinKey: (walletId: string, fingerprint: string, confirmFingerprint: string) => call('registryUnpinKey', { walletId, fingerprint, confirmFingerprint }),
  registrySetAuthPolicy: (input: InputOf<'registrySetAuthPolicy'>) => call('registrySetAuthPolicy', input),
  registryHmacSecret: (walletId: string, driveId: string, file: string) => call('registryHmacSecret', { walletId, driveId, file }),
  /** Subscribes to a main-process event; returns the unsubscribe function (a no-op outside the app). */
  on: <E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): (() => void) => {
    const s = window.signer;
    return s ? s.on(event, listener) : () => undefined;
  },
};

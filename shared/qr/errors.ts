// Coded errors of the QR transport. Codes are stable (the UI switches on them); messages say which frame or
// field failed and why, and never echo the scanned payload (it may be a request the operator has not reviewed).
import { SignerError } from '../errors';

export type QrErrorCode =
  /** A frame of a known format whose content does not decode (bad checksum, alphabet, header, CBOR). */
  | 'qr_part_corrupt'
  /** The transfer announces or reaches more bytes or parts than the receiver accepts. */
  | 'qr_transfer_too_large'
  /** A well-formed frame of a known format carrying a type this app does not accept (e.g. BBQr T, ur:crypto-seed). */
  | 'qr_type_unsupported'
  /** The assembled payload is not what its type says (PSBT without magic, JSON that does not parse). */
  | 'qr_payload_invalid'
  /** The sender was asked for something impossible (empty payload, density too small, too many parts). */
  | 'qr_encode_invalid'
  /** A format this build cannot handle in this process (UR without a Buffer global, see shared/qr/ur.ts). */
  | 'qr_format_unavailable';

export class QrError extends SignerError {
  declare readonly code: QrErrorCode;
  constructor(code: QrErrorCode, message: string) {
    super('QrTransportError', message, code);
  }
}

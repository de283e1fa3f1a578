// QR transport, pure and shared by main and the renderer. Data flow:
//   receive: camera frame -> decodeQrImage(rgba) -> text -> QrAssembler.push(text) -> { kind, bytes } -> intake
//   send:    signed PSBT bytes -> encodeStatic() when it fits, else animatedFrameSource()/encodeAnimated()
//            -> text per tick -> renderQrMatrix(text) -> canvas
// UR needs a global Buffer (bc-ur 1.x), so the app assembles and encodes all frames in main
// (electron/workflow/qr-intake.ts); the renderer only runs the image codec (decoder worker, canvas drawing).
export { QrAssembler, QR_DEFAULT_MAX_BYTES, type QrAssemblerLimits, type QrPayload, type QrPayloadKind, type QrPushResult } from './assembler';
export { animatedFrameSource, encodeAnimated, encodeStatic, QR_DENSITY_CHARS, type AnimatedFrameSource, type AnimatedOptions, type QrDensity, type QrEncodeOptions } from './encode';
export { QrError, type QrErrorCode } from './errors';
export { decodeQrImage, rasterizeQr, renderQrMatrix, type QrEcc, type RgbaImage } from './image';

// Which part of an animated transfer the send screen is showing, read from the frame's own header, so the words
// "part k of n" are what the code on the screen says, not a count kept beside it (BBQr loops are rotated by one
// each time round, and UR goes on past its fragments with fountain mixes, so a frame counter is not the part).
// Headers only: the renderer never decodes the data (UR's decoder needs Node's Buffer; see QrShow.tsx).
//   UR (BCR-2020-005): `ur:<type>/<seqNum>-<seqLen>/<bytewords>`; seqNum > seqLen is a fountain mix of fragments.
//   BBQr (coinkite/BBQr BBQr.md): `B$` + encoding + file type + total (2 base-36) + index from 0 (2 base-36).

export type FramePart =
  | { format: 'ur'; part: number; of: number; mix: boolean }
  | { format: 'bbqr'; part: number; of: number };

const UR_SEQ = /^ur:[a-z0-9-]+\/([1-9][0-9]{0,9})-([1-9][0-9]{0,9})\//i;
const BBQR_HEAD = /^B\$[H2Z][A-Z]([0-9A-Z]{2})([0-9A-Z]{2})/;

/** The part a frame's header names, or undefined for a frame that is not a multi-part UR or BBQr frame. */
export function framePart(text: string): FramePart | undefined {
  const ur = UR_SEQ.exec(text);
  if (ur) {
    const part = Number(ur[1]);
    const of = Number(ur[2]);
    return { format: 'ur', part, of, mix: part > of };
  }
  const bb = BBQR_HEAD.exec(text);
  if (bb) {
    const of = parseInt(bb[1]!, 36);
    const index = parseInt(bb[2]!, 36);
    if (of >= 1 && index < of) return { format: 'bbqr', part: index + 1, of };
  }
  return undefined;
}

/**
 * What the full-screen view says above the code: `frame`, the frame on screen and its part (changes every frame,
 * short, so the header keeps its height and the code its size), and `about`, the transfer (changes only when the
 * operator changes something).
 */
export function frameStatus(
  shown: { mode: 'static'; kind: 'psbt' | 'json'; bytes: number } | { mode: 'animated'; format: 'ur' | 'bbqr'; minimumFrames: number; bytes: number },
  frame: { n: number; text: string },
  pace: { fps: number; paused: boolean },
): { frame: string; about: string } {
  const bytes = `${shown.bytes.toLocaleString('en-US')} bytes`;
  if (shown.mode === 'static') {
    return { frame: 'One static code', about: `${shown.kind === 'psbt' ? 'Base64 PSBT' : 'JSON text'}, ${bytes}: nothing moves, hold the camera on it.` };
  }
  const name = shown.format === 'ur' ? 'UR' : 'BBQr';
  const how = shown.format === 'ur' ? 'any enough frames finish' : 'looping';
  const about = `Animated ${name} (${how}): ${shown.minimumFrames} parts, ${bytes}, ${pace.fps} frames a second${pace.paused ? '. PAUSED' : '.'}`;
  if (frame.n === 0) return { frame: 'Preparing the first frame', about };
  const p = framePart(frame.text);
  // A frame that is not the format's own would be the encoder's fault: say so rather than invent a part number.
  if (!p || p.format !== shown.format) return { frame: `Frame ${frame.n}: its header names no ${name} part`, about };
  if (p.format === 'ur' && p.mix) return { frame: `Frame ${frame.n}: fountain mix of ${p.of} parts`, about };
  return { frame: `Frame ${frame.n}: part ${p.part} of ${p.of}`, about };
}

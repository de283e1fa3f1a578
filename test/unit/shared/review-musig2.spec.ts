// The review's words for BitGo's MuSig2 steps (shared/review.ts musig2StepWords), as the review panel shows them:
// the step, that the nonce step signs nothing, and which key-path inputs each step is about.
import { test, expect } from '@playwright/test';
import { musig2StepWords } from '../../../shared/review';

test('each MuSig2 step reads as what it does, naming its key-path inputs', () => {
  expect(musig2StepWords({ step: 'signerNonce', inputs: [0, 1] })).toBe(
    'Step 1 of 2 (nonce): nothing is signed; the answer gives BitGo the user key\'s nonces for MuSig2 key-path inputs 0, 1. BitGo then sends the signature request.',
  );
  expect(musig2StepWords({ step: 'signerSignature', inputs: [2] })).toBe(
    'Step 2 of 2 (signature): the user key signs MuSig2 key-path input 2 with the nonces kept from step 1 (each is used once), and signs every other input as usual.',
  );
  expect(musig2StepWords({ step: 'signerNonce', inputs: [] })).toContain('no MuSig2 key-path inputs');
  expect(musig2StepWords({ step: 'cosignerNonce', inputs: [0] })).toContain('not done here');
  expect(musig2StepWords({ step: 'none', inputs: [0, 3] })).toBe('MuSig2 key-path inputs 0, 3: signed only in BitGo’s two steps (nonce, then signature).');
});

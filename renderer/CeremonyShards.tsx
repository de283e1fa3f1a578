// The key ceremony's "Verify shards" form (issue 15 item 6): a shard file and every holder's password, checked by
// main with BitGo's verifyShards. A form of renderer/KeyCeremony.tsx.
import { useId, useState } from 'react';
import type { CeremonyShardsVerifyView } from '../shared/contract';
import { api } from './api';
import { ErrorLine, shardCount, StepDone, SubmitWithProgress, useCeremonyProgress, useSecretCall, useSecretInputs } from './CeremonyCommon';
import { useMain } from './useMain';

/**
 * Issue 15 item 6: a shard file (BitGo's splitSecret output) pasted and every holder's password; main runs BitGo's
 * verifyShards (every m-of-n combination must rebuild the file's key). The passwords are emptied after each try.
 */
export function VerifyShards() {
  const id = useId();
  const { busy, error, run } = useMain();
  const [shards, setShards] = useState('');
  const [passwords, setPasswords] = useState<string[]>([]);
  const [xpub, setXpub] = useState('');
  const [progress, setProgress] = useCeremonyProgress();
  const { result, submitWith } = useSecretCall<CeremonyShardsVerifyView>(busy, run);
  const secret = useSecretInputs(busy);
  const n = shardCount(shards.trim());
  const submit = submitWith(
    n !== 0,
    () => api.ceremonyVerifyShards({ shards: shards.trim(), passwords: Array.from({ length: n }, (_, i) => passwords[i] ?? ''), ...(xpub.trim() !== '' ? { publishedXpub: xpub.trim() } : {}) }),
    () => {
      setPasswords([]);
      setProgress(null);
    },
  );
  return (
    <form onSubmit={submit} aria-labelledby="ceremony-shards-title" className="ceremony-form">
      <h3 id="ceremony-shards-title">Verify shards</h3>
      <p className="muted">Opens every shard of a shard file with its holder's password and checks that every combination of enough holders rebuilds the same key, as BitGo's verifyShards does.</p>
      <label htmlFor={`${id}-file`}>The shard file (as written: xpub, m, n, seedShares)</label>
      <textarea id={`${id}-file`} rows={4} value={shards} onChange={(e) => setShards(e.target.value)} maxLength={262144} spellCheck={false} disabled={busy} aria-describedby={`${id}-count`} />
      <p id={`${id}-count`} className="hint" aria-live="polite">
        {shards.trim() === '' ? '' : n === 0 ? 'This is not a shard file (no seedShares found).' : `${n} shards: one password for each holder.`}
      </p>
      {Array.from({ length: n }, (_, i) => (
        <div key={i}>
          <label htmlFor={`${id}-pw-${i}`}>{`Password of shard ${i + 1}`}</label>
          <input id={`${id}-pw-${i}`} {...secret.props} value={passwords[i] ?? ''} onChange={(e) => setPasswords((p) => Object.assign([...p], { [i]: e.target.value }))} />
        </div>
      ))}
      {n > 0 && secret.controls('the passwords')}
      <label htmlFor={`${id}-xpub`}>The published xpub (optional; the file's own otherwise)</label>
      <input id={`${id}-xpub`} value={xpub} onChange={(e) => setXpub(e.target.value)} maxLength={200} spellCheck={false} autoComplete="off" disabled={busy} />
      <SubmitWithProgress busy={busy} disabled={n === 0} busyLabel="Verifying…" label="Verify the shards" progress={progress} />
      {result && (
        <StepDone verdict="VERIFIED">
          All {result.n} shards opened; every one of the {result.combinations} combinations of {result.m} rebuilds the key <code className="xpub">{result.xpub}</code>.
        </StepDone>
      )}
      <ErrorLine error={error} />
    </form>
  );
}

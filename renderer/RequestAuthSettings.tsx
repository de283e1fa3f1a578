// A registered wallet's request authentication, on the Wallets screen (README "Authenticated requests"): which
// requests it insists on (requireAuthenticatedRequests: JWT, HMAC, either, or none) and for how long a token or tag
// stays good (maxAgeSeconds), the pinned request-signing keys by their RFC 7638 thumbprints, and whether a shared
// HMAC secret is provisioned (its short sha256 id, never the secret). Pinning: paste the sender's public key (PEM
// or JWK); main reads it and shows its thumbprint large, in groups of four; the operator compares it with the
// sender's copy and types its last four characters, as first use confirms an xpub. Unpinning: type the
// thumbprint. The secret is read by main from a file on a listed drive. Main checks everything again.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { CandidateFileView, PublicKeyCheck } from '../shared/contract';
import type { AuthRequirement, PinnedJwtKey, RegisteredWalletView, RegistryView } from '../shared/registry';
import { api } from './api';
import { DriveSelect, useDrives } from './CeremonyCommon';
import { GroupedKey } from './registry-words';
import { useMain } from './useMain';

type Requirement = AuthRequirement | 'none';
type Changed = (view: RegistryView) => void;

export const REQUIREMENT_WORDS: Readonly<Record<Requirement, string>> = {
  none: 'none: unauthenticated requests are accepted (a plain Express body signs as before)',
  jwt: 'JWT: only requests signed (RS256) by a pinned key',
  hmac: 'HMAC: only requests tagged with the shared secret',
  either: 'either a pinned key’s JWT or an HMAC tag',
};
/** jwt.ts DEFAULT_MAX_LIFETIME_SECONDS: files travel slower than HTTP requests. */
const DEFAULT_MAX_AGE = 3600;

function ErrorLine({ id, error }: { id?: string; error: string | null }) {
  return (
    <p id={id} className="error" role="alert">
      {error ?? ''}
    </p>
  );
}

function PinnedKey({ walletId, pinned, onChanged }: { walletId: string; pinned: PinnedJwtKey; onChanged: Changed }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const { busy, error, run } = useMain();
  const unpin = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => onChanged(await api.registryUnpinKey(walletId, pinned.fingerprint, typed)));
  };
  return (
    <li aria-label={`Pinned key ${pinned.fingerprint}`}>
      <GroupedKey value={pinned.fingerprint} />
      <span className="muted">
        {pinned.pem !== undefined ? 'PEM' : 'JWK'} · pinned {pinned.added.at}
      </span>
      {!open ? (
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          Unpin…
        </button>
      ) : (
        <form onSubmit={unpin} aria-label={`Unpin key ${pinned.fingerprint}`}>
          <label htmlFor={id}>Requests signed by this key will be refused. To confirm, type its thumbprint</label>
          <div className="unlock-row">
            <input id={id} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} maxLength={100} autoFocus />
            <button type="submit" disabled={busy}>
              Unpin this key
            </button>
            <button type="button" className="secondary" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
          <ErrorLine error={error} />
        </form>
      )}
    </li>
  );
}

function PinKey({ walletId, onChanged }: { walletId: string; onChanged: Changed }) {
  const id = useId();
  const [text, setText] = useState('');
  const [checked, setChecked] = useState<PublicKeyCheck | null>(null);
  const [last, setLast] = useState('');
  const { busy, error, run, setError } = useMain();
  const check = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim() === '') return setError('Paste the sender’s public key (PEM or JWK) first.');
    void run(async () => setChecked(await api.registryKeyCheck(walletId, text)));
  };
  const pin = (e: FormEvent) => {
    e.preventDefault();
    if (last.trim().length !== 4) return setError('Type the last four characters of the thumbprint as the sender’s copy shows them.');
    setError(null);
    void run(async () => {
      const view = await api.registryPinKey(walletId, text, last.trim());
      setChecked(null);
      setText('');
      setLast('');
      onChanged(view);
    });
  };
  if (!checked) {
    return (
      <form onSubmit={check} aria-label={`Pin a request-signing key for ${walletId}`}>
        <label htmlFor={`${id}-key`}>Request-signing public key (PEM “-----BEGIN PUBLIC KEY-----” or RSA JWK), pasted</label>
        <textarea id={`${id}-key`} rows={4} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} autoCorrect="off" autoCapitalize="off" />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Show its thumbprint…
          </button>
        </div>
        <ErrorLine error={error} />
      </form>
    );
  }
  return (
    <form onSubmit={pin} aria-label={`Confirm the key to pin for ${walletId}`}>
      <p>
        RSA {checked.bits} bits ({checked.form === 'pem' ? 'PEM' : 'JWK'}). Its thumbprint (RFC 7638, SHA-256): compare it, group by group, with the sender’s copy read
        from a second source.
      </p>
      <div aria-label="Key thumbprint">
        <GroupedKey value={checked.fingerprint} />
      </div>
      <label htmlFor={`${id}-last`}>Last four characters of the thumbprint (upper and lower case differ)</label>
      <input id={`${id}-last`} value={last} onChange={(e) => setLast(e.target.value)} maxLength={4} size={6} autoComplete="off" autoCorrect="off" autoCapitalize="off" spellCheck={false} autoFocus />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Pin this key
        </button>
        <button type="button" className="secondary" onClick={() => setChecked(null)}>
          Back
        </button>
      </div>
      <ErrorLine error={error} />
    </form>
  );
}

function Policy({ wallet, onChanged }: { wallet: RegisteredWalletView; onChanged: Changed }) {
  const id = useId();
  const [require, setRequire] = useState<Requirement>(wallet.auth?.requireAuthenticatedRequests ?? 'none');
  const [maxAge, setMaxAge] = useState(wallet.auth?.maxAgeSeconds !== undefined ? String(wallet.auth.maxAgeSeconds) : '');
  const { busy, error, run, setError } = useMain();
  const save = (e: FormEvent) => {
    e.preventDefault();
    const seconds = maxAge.trim() === '' ? undefined : Number(maxAge.trim());
    if (seconds !== undefined && !(Number.isInteger(seconds) && seconds >= 1 && seconds <= 30 * 24 * 3600)) return setError('The longest lifetime is a whole number of seconds, 1 to 2592000 (30 days), or empty for the default.');
    setError(null);
    void run(async () => onChanged(await api.registrySetAuthPolicy({ walletId: wallet.walletId, require, ...(seconds !== undefined ? { maxAgeSeconds: seconds } : {}) })));
  };
  return (
    <form onSubmit={save} aria-label={`Authentication policy for ${wallet.walletId}`}>
      <label htmlFor={`${id}-require`}>Requests this wallet signs</label>
      <select id={`${id}-require`} value={require} onChange={(e) => setRequire(e.target.value as Requirement)}>
        {(Object.keys(REQUIREMENT_WORDS) as Requirement[]).map((r) => (
          <option key={r} value={r}>
            {REQUIREMENT_WORDS[r]}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-age`}>Longest JWT lifetime and HMAC time window, in seconds (empty: {DEFAULT_MAX_AGE}; 60 as BitGo’s document advises for HTTP)</label>
      <input id={`${id}-age`} value={maxAge} onChange={(e) => setMaxAge(e.target.value)} inputMode="numeric" size={10} maxLength={7} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Save the policy
        </button>
      </div>
      <ErrorLine error={error} />
    </form>
  );
}

function HmacSecret({ walletId, onChanged }: { walletId: string; onChanged: Changed }) {
  const id = useId();
  const { busy, error, run, setError } = useMain();
  const drives = useDrives(run);
  const [files, setFiles] = useState<CandidateFileView[]>([]);
  const [file, setFile] = useState('');
  useEffect(() => {
    if (drives.driveId === '') {
      setFiles([]);
      return;
    }
    void run(
      async () => {
        const list = await api.listDriveFiles(drives.driveId);
        setFiles(list);
        setFile((f) => (list.some((x) => x.name === f) ? f : (list[0]?.name ?? '')));
      },
      { busy: false },
    );
  }, [drives.driveId, run]);
  const provision = (e: FormEvent) => {
    e.preventDefault();
    if (file === '') return setError('Choose the file that holds the shared secret.');
    void run(async () => onChanged(await api.registryHmacSecret(walletId, drives.driveId, file)));
  };
  return (
    <form onSubmit={provision} aria-label={`Provision the HMAC secret for ${walletId}`}>
      <p className="muted">The file holds the shared secret alone on one line (16 to 4096 characters), or is the secrets file {'{'}"walletId": "secret"{'}'}. Only the secret’s sha256 is stored; the secret stays in this session’s memory.</p>
      <DriveSelect id={`${id}-drive`} label="Drive with the secret file" busy={busy} state={drives} />
      <label htmlFor={`${id}-file`}>Secret file</label>
      <select id={`${id}-file`} value={file} onChange={(e) => setFile(e.target.value)} disabled={files.length === 0}>
        {files.length === 0 ? (
          <option value="">No file on this drive</option>
        ) : (
          files.map((f) => (
            <option key={f.name} value={f.name}>
              {f.name}
            </option>
          ))
        )}
      </select>
      <div className="actions">
        <button type="submit" disabled={busy}>
          Provision this secret
        </button>
      </div>
      <ErrorLine error={error} />
    </form>
  );
}

/** The wallet's request authentication, with its forms opened one at a time. */
export function RequestAuthSettings({ wallet, onChanged }: { wallet: RegisteredWalletView; onChanged: Changed }) {
  const [open, setOpen] = useState<'pin' | 'policy' | 'secret' | null>(null);
  const auth = wallet.auth;
  const changed: Changed = (view) => {
    setOpen(null);
    onChanged(view);
  };
  const toggle = (form: NonNullable<typeof open>, words: string) => (
    <button type="button" className="secondary" aria-expanded={open === form} onClick={() => setOpen(open === form ? null : form)}>
      {words}
    </button>
  );
  return (
    <section aria-label={`Request authentication for ${wallet.walletId}`} className="registry-form request-auth-settings">
      <h4>Request authentication</h4>
      <dl className="registry-keys">
        <dt>Requires</dt>
        <dd>{REQUIREMENT_WORDS[auth?.requireAuthenticatedRequests ?? 'none']}</dd>
        <dt>Longest lifetime</dt>
        <dd>{auth?.maxAgeSeconds !== undefined ? `${auth.maxAgeSeconds} seconds` : `${DEFAULT_MAX_AGE} seconds (the default)`}</dd>
        <dt>HMAC secret</dt>
        <dd>{auth?.hmacSecretSha256 !== undefined ? <>provisioned, id <code>{auth.hmacSecretSha256.slice(0, 16)}</code></> : 'none'}</dd>
        <dt>Pinned keys</dt>
        <dd>
          {auth?.jwtKeys?.length ? (
            <ul className="pinned-keys">
              {auth.jwtKeys.map((k) => (
                <PinnedKey key={k.fingerprint} walletId={wallet.walletId} pinned={k} onChanged={onChanged} />
              ))}
            </ul>
          ) : (
            'none'
          )}
        </dd>
      </dl>
      <div className="actions">
        {toggle('pin', 'Pin a request-signing key…')}
        {toggle('policy', 'Set the policy…')}
        {toggle('secret', 'Provision the HMAC secret…')}
      </div>
      {open === 'pin' && <PinKey walletId={wallet.walletId} onChanged={changed} />}
      {open === 'policy' && <Policy wallet={wallet} onChanged={changed} />}
      {open === 'secret' && <HmacSecret walletId={wallet.walletId} onChanged={changed} />}
    </section>
  );
}

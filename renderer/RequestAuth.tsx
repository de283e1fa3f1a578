// Who sent the request: the JWT's pinned key (its RFC 7638 thumbprint), jti and expiry, the HMAC tag's version,
// path, time and secret, or "not authenticated". Shown in the review (ReviewPanel) from RequestReview.auth.
import type { RequestAuthView } from '../shared/review';

export function RequestAuth({ auth }: { auth: RequestAuthView }) {
  if (auth.scheme === 'jwt') {
    return (
      <p className="request-auth" aria-label="Request authentication">
        Signed request (JWT RS256) · key <code>{auth.keyFingerprint}</code> · jti <code>{auth.jti}</code> · expires {auth.expires}
      </p>
    );
  }
  if (auth.scheme === 'hmac') {
    return (
      <p className="request-auth" aria-label="Request authentication">
        HMAC {auth.version} tagged request · <code>{auth.path}</code> · at {auth.at} · secret <code>{auth.secretId}</code>
      </p>
    );
  }
  return (
    <p className="request-auth muted" aria-label="Request authentication">
      Not authenticated: nobody signed this request.
    </p>
  );
}

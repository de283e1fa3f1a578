// The review's long lists, a page at a time (shared/review-page.ts): the summary brings each list's first page, and
// the rows of any other page are asked of main when the operator turns to it (requestReviewPage), so a
// 100k-input review never crosses IPC whole. A page being fetched says so; a page main refuses says why.
import { useEffect, useState } from 'react';
import type { ReviewPage, ReviewPart } from '../shared/review-page';
import { pageOf } from '../shared/review-words';
import { api } from './api';
import { wordsFor } from './words';

export interface ReviewRows<T> {
  /** The page shown (first and last row numbers, 1-based, and the page count). */
  page: ReturnType<typeof pageOf>;
  /** Its rows, or null while they are being fetched. */
  rows: T[] | null;
  error: string | null;
  setPage: (page: number) => void;
}

/**
 * Rows of one part of a request's review, `pageSize` at a time. `first`: the summary's first page (none is asked
 * for while page 0 is shown). `enabled: false` fetches nothing (a closed input group).
 */
export function useReviewRows<T>(requestId: string, part: ReviewPart, total: number, pageSize: number, opts: { group?: string; first?: ReviewPage<T>; enabled?: boolean }): ReviewRows<T> {
  const { group, first, enabled = true } = opts;
  const [page, setPage] = useState(0);
  const [fetched, setFetched] = useState<{ page: number; key: string; items: T[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const p = pageOf(total, page, pageSize);
  const key = `${requestId}/${part}/${group ?? ''}`;
  const fromSummary = p.page === 0 && first !== undefined && first.items.length >= Math.min(pageSize, total);
  useEffect(() => {
    if (!enabled || fromSummary || total === 0) return;
    let live = true;
    setError(null);
    api.reviewPage(requestId, part, p.page * pageSize, pageSize, group).then(
      (got) => live && setFetched({ page: p.page, key, items: got.items as T[] }),
      (e: unknown) => live && setError(wordsFor(e)),
    );
    return () => {
      live = false;
    };
  }, [requestId, part, group, key, p.page, pageSize, enabled, fromSummary, total]);
  const rows = fromSummary ? first.items.slice(0, pageSize) : total === 0 ? [] : fetched?.page === p.page && fetched.key === key ? fetched.items : null;
  return { page: p, rows, error, setPage };
}

/** Previous / Next under a paged list, with "Page 2 of 5"; nothing when everything fits on one page. */
export function Pager({ rows, what, pageSize }: { rows: ReviewRows<unknown>; what: string; pageSize: number }) {
  const p = rows.page;
  return (
    <>
      {p.pages > 1 && (
        <div className="actions pager">
          <button type="button" className="secondary" disabled={p.page === 0} onClick={() => rows.setPage(p.page - 1)}>
            Previous {pageSize} {what}
          </button>
          <span>
            Page {p.page + 1} of {p.pages}
          </span>
          <button type="button" className="secondary" disabled={p.page === p.pages - 1} onClick={() => rows.setPage(p.page + 1)}>
            Next {pageSize} {what}
          </button>
        </div>
      )}
      {rows.rows === null && rows.error === null && <p className="muted">Reading {what} {p.first.toLocaleString('en-US')} to {p.last.toLocaleString('en-US')}…</p>}
      {rows.error !== null && (
        <p className="error" role="alert">
          {rows.error}
        </p>
      )}
    </>
  );
}

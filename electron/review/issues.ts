// The refusals and warnings a review collects, in the order the rules find them.
import type { ReviewWarningCode } from '../../shared/error-codes';
import type { ErrorCode } from '../../shared/errors';
import type { ReviewIssue } from '../../shared/review';

export type IssueAt = { input?: number; output?: number };

export class Issues {
  readonly warnings: ReviewIssue[] = [];
  readonly refusals: ReviewIssue[] = [];
  refuse(code: ErrorCode, message: string, at: IssueAt = {}): void {
    this.refusals.push({ code, message, ...at });
  }
  warn(code: ReviewWarningCode, message: string, at: IssueAt = {}): void {
    this.warnings.push({ code, message, ...at });
  }
  refusedInput(code: ErrorCode, input: number): boolean {
    return this.refusals.some((r) => r.input === input && r.code === code);
  }
}

// The workflow's own refusals (a drive gone, a request in the wrong state), in the operator's terms.
import { SignerError, type ErrorCode } from '../../shared/errors';

export class WorkflowError extends SignerError {
  constructor(message: string, code: ErrorCode) {
    super('WorkflowError', message, code);
  }
}

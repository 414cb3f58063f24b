import { NospyError } from '../../errors/nospy-error.js';

export type ApiErrorCode = 'API_BAD_REQUEST' | 'API_NOT_FOUND' | 'API_REPORT_FAILED';

/**
 * The read API: a query or path id the schemas refuse (400), an id not in the current report
 * (404), or a report the engine could not compute (503: the log still serves).
 */
export class ApiError extends NospyError<ApiErrorCode> {
  override readonly name = 'ApiError';
}

/** The 404 of an id the current report does not hold. */
export function notInReport(what: 'finding' | 'device' | 'vendor', id: string): ApiError {
  return new ApiError('API_NOT_FOUND', `no ${what} ${JSON.stringify(id)} in the report`);
}

import { ErrorCode, FieldError } from 'src/common/errors/app-error';

/** The one error shape of the contract. */
export interface ErrorBody {
  statusCode: number;
  error: ErrorCode;
  message: string;
  details?: FieldError[];
  requestId: string;
  timestamp: string;
}

export function errorBody(
  statusCode: number,
  error: ErrorCode,
  message: string,
  requestId: string,
  details?: FieldError[],
): ErrorBody {
  return {
    statusCode,
    error,
    message,
    ...(details && details.length > 0 ? { details } : {}),
    requestId,
    timestamp: new Date().toISOString(),
  };
}

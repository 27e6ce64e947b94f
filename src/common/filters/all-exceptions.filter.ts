import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError, codeForStatus, ErrorCode, FieldError } from 'src/common/errors/app-error';
import { errorBody } from 'src/common/errors/error-body';
import { requestIdOf } from 'src/common/http/request-id';

interface Translated {
  status: number;
  code: ErrorCode;
  message: string;
  details?: FieldError[];
  headers?: Record<string, string>;
}

const GENERIC_MESSAGES: Partial<Record<ErrorCode, string>> = {
  INTERNAL: 'Internal server error',
  SERVICE_UNAVAILABLE: 'Service temporarily unavailable',
};

/** Framework exceptions carry a status and a message we can show; nothing else is trusted. */
function fromHttpException(exception: HttpException): Translated {
  const status = exception.getStatus();
  const code = codeForStatus(status);
  const response = exception.getResponse();
  const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  const message = typeof raw === 'string' && status < 500 ? raw : (GENERIC_MESSAGES[code] ?? exception.message);
  return { status, code, message };
}

/** Errors raised by body-parser and friends before Nest's pipes: they carry `status` and `type`. */
function fromHttpLikeError(error: { status?: unknown; type?: unknown }): Translated | undefined {
  const status = typeof error.status === 'number' ? error.status : undefined;
  if (!status || status < 400 || status >= 500) {
    return undefined;
  }
  if (error.type === 'entity.too.large') {
    return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' };
  }
  if (error.type === 'entity.parse.failed') {
    return { status: 400, code: 'VALIDATION_FAILED', message: 'Malformed JSON in request body' };
  }
  if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') {
    return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported body encoding' };
  }
  return { status, code: codeForStatus(status), message: 'Bad request' };
}

export function translateError(exception: unknown): Translated {
  if (exception instanceof AppError) {
    return {
      status: exception.status,
      code: exception.code,
      message: exception.message,
      details: exception.details,
      headers: exception.headers,
    };
  }
  if (exception instanceof HttpException) {
    return fromHttpException(exception);
  }
  if (exception && typeof exception === 'object') {
    const httpLike = fromHttpLikeError(exception);
    if (httpLike) {
      return httpLike;
    }
  }
  return { status: 500, code: 'INTERNAL', message: GENERIC_MESSAGES.INTERNAL! };
}

/** Sends any error in the contract's shape; also used by middleware that runs before Nest. */
export function sendError(exception: unknown, req: Request, res: Response, logger: Logger): void {
  const translated = translateError(exception);
  const requestId = requestIdOf(req);
  if (translated.status >= 500) {
    logger.error(
      { err: exception, requestId, method: req.method, url: req.originalUrl },
      `Unhandled error on ${req.method} ${req.path}`,
    );
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  for (const [name, value] of Object.entries(translated.headers ?? {})) {
    res.setHeader(name, value);
  }
  res
    .status(translated.status)
    .json(errorBody(translated.status, translated.code, translated.message, requestId, translated.details));
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(exception, http.getRequest<Request>(), http.getResponse<Response>(), this.logger);
  }
}

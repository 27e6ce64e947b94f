import {
  BadRequestException,
  ForbiddenException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { AppError } from 'src/common/errors/app-error';
import { translateError } from 'src/common/filters/all-exceptions.filter';

describe(translateError.name, () => {
  it.each([
    [new AppError('CONFLICT', 'taken'), { status: 409, code: 'CONFLICT', message: 'taken' }],
    [new AppError('INVALID_CREDENTIALS', 'no'), { status: 401, code: 'INVALID_CREDENTIALS', message: 'no' }],
    [new NotFoundException('Cannot GET /x'), { status: 404, code: 'NOT_FOUND', message: 'Cannot GET /x' }],
    [new ForbiddenException(), { status: 403, code: 'FORBIDDEN', message: 'Forbidden' }],
    [new BadRequestException('bad'), { status: 400, code: 'VALIDATION_FAILED', message: 'bad' }],
    [
      new ServiceUnavailableException('db at 10.0.0.3 down'),
      { status: 503, code: 'SERVICE_UNAVAILABLE', message: 'Service temporarily unavailable' },
    ],
    [
      { status: 413, type: 'entity.too.large' },
      { status: 413, code: 'PAYLOAD_TOO_LARGE' },
    ],
    [
      { status: 400, type: 'entity.parse.failed' },
      { status: 400, code: 'VALIDATION_FAILED' },
    ],
    [
      { status: 415, type: 'charset.unsupported' },
      { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    ],
  ])('maps %p to the contract', (error, expected) => {
    expect(translateError(error)).toMatchObject(expected);
  });

  it('hides everything about unexpected errors', () => {
    const error = new Error('SQLITE_ERROR: no such table: users at /srv/app/src/x.ts:10');
    expect(translateError(error)).toEqual({ status: 500, code: 'INTERNAL', message: 'Internal server error' });
    expect(translateError('a string')).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(translateError({ status: 200 })).toMatchObject({ status: 500, code: 'INTERNAL' });
  });

  it('passes details and headers of an AppError through', () => {
    const error = new AppError('RATE_LIMITED', 'slow down', undefined, { 'Retry-After': '30' });
    expect(translateError(error).headers).toEqual({ 'Retry-After': '30' });
    const invalid = AppError.validation([{ field: 'a', message: 'must be set' }]);
    expect(translateError(invalid).details).toEqual([{ field: 'a', message: 'must be set' }]);
  });
});

import { Logger } from '@nestjs/common';
import { boardErrorHandler } from 'src/modules/admin/bull-board.mounter';

describe(boardErrorHandler.name, () => {
  const logger = { error: jest.fn() } as unknown as Logger;
  const sut = boardErrorHandler(logger);

  it('hides the message of an unexpected error and logs it', () => {
    const error = new Error('connect ECONNREFUSED 10.1.2.3:6379');

    expect(sut(error)).toEqual({
      status: 500,
      body: { error: { key: 'ERRORS.INTERNAL_SERVER_ERROR' }, message: 'Internal server error' },
    });
    expect(logger.error).toHaveBeenCalledWith({ err: error }, expect.any(String));
  });

  it('keeps the status and message of a client error', () => {
    const error = Object.assign(new Error('Queue not found'), { statusCode: 404 });

    expect(sut(error)).toMatchObject({ status: 404, body: { message: 'Queue not found' } });
  });
});

import { AppError } from 'src/common/errors/app-error';

export const AuthErrors = {
  emailTaken: () => new AppError('CONFLICT', 'An account with this email already exists'),
  invalidCredentials: () => new AppError('INVALID_CREDENTIALS', 'Email or password is incorrect'),
  invalidRefreshToken: () => new AppError('UNAUTHORIZED', 'Refresh token is invalid or expired'),
  unauthorized: (message = 'Missing or invalid access token') => new AppError('UNAUTHORIZED', message),
  forbidden: () => new AppError('FORBIDDEN', 'You do not have permission to do this'),
  tooManyFailures: (retryAfterSeconds: number) =>
    new AppError('RATE_LIMITED', 'Too many failed login attempts; try again later', undefined, {
      'Retry-After': String(retryAfterSeconds),
    }),
  throttleUnavailable: () => new AppError('SERVICE_UNAVAILABLE', 'Login is temporarily unavailable'),
};

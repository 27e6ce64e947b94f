import { AppError } from 'src/common/errors/app-error';

// Every 401 names the scheme, so a browser shows its login prompt again.
const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="Reelsmith admin", charset="UTF-8"' };

export const AdminErrors = {
  credentialsRequired: () =>
    new AppError('UNAUTHORIZED', 'Admin credentials are required (HTTP Basic)', undefined, CHALLENGE),
  invalidCredentials: () => new AppError('UNAUTHORIZED', 'Email or password is incorrect', undefined, CHALLENGE),
  notAdmin: () => new AppError('FORBIDDEN', 'Only administrators may open the queue dashboard'),
};

import { AppError } from 'src/common/errors/app-error';

export const VideoErrors = {
  notFound: () => AppError.notFound('Video'),
  fileNotReady: (what: string) => new AppError('NOT_FOUND', `The video's ${what} is not available (yet)`),
};

import { AppError, FieldError } from 'src/common/errors/app-error';

export const ProjectErrors = {
  notFound: () => AppError.notFound('Project'),
  sceneNotFound: () => AppError.notFound('Scene'),
  /** A referenced template or asset the caller cannot see: 404, naming each field. */
  referencesNotFound: (details: FieldError[]) =>
    new AppError(
      'NOT_FOUND',
      details.length === 1 ? `${details[0].field} ${details[0].message}` : 'Referenced items not found',
      details,
    ),
};

import { AppError } from 'src/common/errors/app-error';

export const TemplateErrors = {
  notFound: () => AppError.notFound('Template'),
  nameTaken: (name: string) => new AppError('CONFLICT', `A template named "${name}" already exists`),
  builtInDelete: () => new AppError('CONFLICT', 'Built-in templates cannot be deleted'),
  builtInRename: () => new AppError('CONFLICT', 'Built-in templates keep their names'),
  inUse: () => new AppError('CONFLICT', 'Projects still use this template'),
};

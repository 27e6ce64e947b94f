import { ValidationPipe } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import { AppError, FieldError } from 'src/common/errors/app-error';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Flattens class-validator's tree into one entry per bad field, with dotted paths for nesting. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((text) => ({
      field,
      message: text.replace(new RegExp(`^(property )?${escapeRegExp(error.property)} `), ''),
    }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const details = toFieldErrors(errors);
      return AppError.validation(
        details,
        details.length === 1 ? `${details[0].field} ${details[0].message}` : 'Validation failed',
      );
    },
  });
}

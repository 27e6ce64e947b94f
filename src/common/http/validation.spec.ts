import { ValidationError } from 'class-validator';
import { toFieldErrors } from 'src/common/http/validation';

const error = (property: string, constraints?: Record<string, string>, children: ValidationError[] = []) =>
  Object.assign(new ValidationError(), { property, constraints, children });

describe(toFieldErrors.name, () => {
  it('gives one entry per failed constraint, without repeating the field name', () => {
    expect(
      toFieldErrors([
        error('sceneCount', { max: 'sceneCount must not be greater than 20' }),
        error('extra', { whitelistValidation: 'property extra should not exist' }),
      ]),
    ).toEqual([
      { field: 'sceneCount', message: 'must not be greater than 20' },
      { field: 'extra', message: 'should not exist' },
    ]);
  });

  it('names nested fields with dotted paths', () => {
    const nested = error('scenes', undefined, [
      error('0', undefined, [error('narration', { isString: 'narration must be a string' })]),
    ]);
    expect(toFieldErrors([nested])).toEqual([{ field: 'scenes.0.narration', message: 'must be a string' }]);
  });
});

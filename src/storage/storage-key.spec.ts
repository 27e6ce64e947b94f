import { InvalidStorageKeyError } from 'src/storage/storage.errors';
import {
  assertByteRange,
  assertStorageKey,
  isValidStorageKey,
  MAX_KEY_LENGTH,
  storageKeyProblem,
} from 'src/storage/storage-key';

describe(assertStorageKey.name, () => {
  it.each([
    'assets/0b6f1f4e-3c7a-4d8e-9a51-2f7c1d3e5b6a/7d9c2a1e-5b4f-4e3d-8c2b-1a0f9e8d7c6b',
    'renders/task_42/final.mp4',
    'voice/v1.2/scene-03.wav',
    'a',
    'a/b/c/d/e',
    'dots.in.the.middle..ok',
    '-leading-dash/_leading_underscore',
    'x'.repeat(200),
    `${'y'.repeat(200)}/${'z'.repeat(MAX_KEY_LENGTH - 201)}`,
  ])('accepts %j', (key) => {
    expect(() => assertStorageKey(key)).not.toThrow();
    expect(isValidStorageKey(key)).toBe(true);
  });

  it.each([
    ['', 'non-empty'],
    ['/etc/passwd', '"/"'],
    ['assets/', '"/"'],
    ['assets//x', '"//"'],
    ['.', 'start with "."'],
    ['..', 'start with "."'],
    ['../../etc/passwd', 'start with "."'],
    ['assets/../../x', 'start with "."'],
    ['assets/./x', 'start with "."'],
    ['assets/.x.0123456789abcdef.part', 'start with "."'],
    ['Assets/x', '[a-z0-9_.-]'],
    ['my file.mp4', '[a-z0-9_.-]'],
    ['a\\..\\b', '[a-z0-9_.-]'],
    ['a\u0000b', '[a-z0-9_.-]'],
    ['a\nb', '[a-z0-9_.-]'],
    ['café', '[a-z0-9_.-]'],
    ['c:/windows', '[a-z0-9_.-]'],
    ['%2e%2e/x', '[a-z0-9_.-]'],
    ['x'.repeat(201), 'at most 200'],
    ['x/'.repeat(128), 'at most 255'],
  ])('refuses %j (%s)', (key, reason) => {
    expect(storageKeyProblem(key)).toContain(reason);
    expect(() => assertStorageKey(key)).toThrow(InvalidStorageKeyError);
    expect(isValidStorageKey(key)).toBe(false);
  });

  it.each([undefined, null, 42, {}, ['a']])('refuses the non-string %j', (key) => {
    expect(() => assertStorageKey(key)).toThrow(InvalidStorageKeyError);
  });

  it('names the key and the reason in the error', () => {
    expect(() => assertStorageKey('../x')).toThrow('Invalid storage key "../x": segments use only');
  });
});

describe(assertByteRange.name, () => {
  it.each([
    [0, 0],
    [0, 10],
    [5, 5],
    [2 ** 40, 2 ** 41],
  ])('accepts %d-%d', (start, end) => {
    expect(() => assertByteRange({ start, end })).not.toThrow();
  });

  it.each([
    [-1, 0],
    [5, 4],
    [0.5, 3],
    [0, Number.NaN],
    [0, Number.POSITIVE_INFINITY],
  ])('refuses %d-%d', (start, end) => {
    expect(() => assertByteRange({ start, end })).toThrow(RangeError);
  });
});

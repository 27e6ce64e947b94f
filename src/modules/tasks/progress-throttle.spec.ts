import { ProgressThrottle } from 'src/modules/tasks/progress-throttle';

describe(ProgressThrottle.name, () => {
  it.each([
    [
      'sends steps of 5 % and drops the ones in between',
      [[1], [4], [5], [7], [10], [14.9], [15]],
      [undefined, undefined, 5, undefined, 10, undefined, 15],
    ],
    ['never goes backwards', [[20], [10], [26]], [20, undefined, 26]],
    ['rounds down to integers and caps at 100', [[12.7], [250]], [12, 100]],
    ['always sends the first 100', [[98], [100]], [98, 100]],
    ['treats NaN as no progress', [[Number.NaN], [5]], [undefined, 5]],
  ])('%s', (_name, reports, expected) => {
    const sut = new ProgressThrottle();
    expect(reports.map(([p]) => sut.next(p)?.progress)).toEqual(expected);
  });

  it('sends a stage change at once, keeping the percent', () => {
    const sut = new ProgressThrottle();
    expect(sut.next(6, 'script')).toEqual({ progress: 6, stage: 'script' });
    expect(sut.next(7, 'voice')).toEqual({ progress: 7, stage: 'voice' });
    expect(sut.next(8)).toBeUndefined();
    expect(sut.next(3, 'compose')).toEqual({ progress: 7, stage: 'compose' });
  });

  it('starts from the persisted state of an earlier attempt', () => {
    const sut = new ProgressThrottle(40, 'voice');
    expect(sut.next(20, 'voice')).toBeUndefined();
    expect(sut.next(45)).toEqual({ progress: 45, stage: 'voice' });
  });
});

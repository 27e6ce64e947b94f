import { normalisingGainDb, parseIntegratedLoudness } from 'src/media/ffmpeg/loudness';

describe(parseIntegratedLoudness.name, () => {
  it.each([
    ['frame:0    pts:0 pts_time:0\nlavfi.r128.I=-70\nframe:1\nlavfi.r128.I=-18.25\nlavfi.r128.I=-17.408\n', -17.408],
    ['lavfi.r128.I=-9\n', -9],
    ['lavfi.r128.I=3.5\r\n', 3.5],
    ['', undefined],
    ['frame:0 pts:0\nlavfi.r128.M=-20\n', undefined],
    ['lavfi.r128.I=nan\n', undefined],
  ])('reads the last integrated value of %j', (log, expected) => {
    expect(parseIntegratedLoudness(log)).toBe(expected);
  });
});

describe(normalisingGainDb.name, () => {
  it.each([
    [-17.4, -14, 3.4],
    [-9.123, -14, -4.88],
    [-14, -14, 0],
    [-60, -14, 24],
    [30, -14, -40],
    [-70, -14, 0],
    [-120.7, -16, 0],
    [undefined, -14, 0],
    [Number.NaN, -14, 0],
  ])('brings %s LUFS to %s with %s dB', (measured, target, gain) => {
    expect(normalisingGainDb(measured, target)).toBe(gain);
  });
});

import { FfmpegProgressParser } from 'src/media/ffmpeg/ffmpeg-progress';

describe(FfmpegProgressParser.name, () => {
  it('turns out_time_us into fractions of the expected duration, across split chunks', () => {
    const seen: number[] = [];
    const sut = new FfmpegProgressParser(10_000, (fraction) => seen.push(fraction));
    sut.push('frame=10\nout_time_us=2500');
    sut.push('000\nout_time_ms=5000000\nprogress=continue\nout_time_us=N/A\n');
    sut.push('out_time_us=20000000\nprogress=end\n');
    expect(seen).toEqual([0.25, 0.5, 1, 1]);
  });

  it('reports nothing without a known duration except the end', () => {
    const seen: number[] = [];
    const sut = new FfmpegProgressParser(0, (fraction) => seen.push(fraction));
    sut.push('out_time_us=1000000\nprogress=end\n');
    expect(seen).toEqual([1]);
  });
});

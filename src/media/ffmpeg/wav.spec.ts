import { parseWavDurationMs } from 'src/media/ffmpeg/wav';

/** A WAV header as ffmpeg writes it: RIFF, fmt, an optional LIST chunk, then data. */
function header(options: { byteRate: number; dataBytes: number; list?: number; riff?: string }): Buffer {
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(1, 8);
  fmt.writeUInt16LE(1, 10);
  fmt.writeUInt32LE(48_000, 12);
  fmt.writeUInt32LE(options.byteRate, 16);
  const list = options.list === undefined ? Buffer.alloc(0) : Buffer.alloc(8 + options.list + (options.list % 2));
  if (options.list !== undefined) {
    list.write('LIST', 0, 'ascii');
    list.writeUInt32LE(options.list, 4);
  }
  const data = Buffer.alloc(8);
  data.write('data', 0, 'ascii');
  data.writeUInt32LE(options.dataBytes, 4);
  const riff = Buffer.alloc(12);
  riff.write(options.riff ?? 'RIFF', 0, 'ascii');
  riff.writeUInt32LE(Math.min(0xffffffff, 4 + fmt.length + list.length + data.length + options.dataBytes), 4);
  riff.write('WAVE', 8, 'ascii');
  return Buffer.concat([riff, fmt, list, data]);
}

describe(parseWavDurationMs.name, () => {
  it.each([
    ['48 kHz mono s16, 1.5 s', header({ byteRate: 96_000, dataBytes: 144_000 }), 1500],
    ['after an odd-sized LIST chunk', header({ byteRate: 96_000, dataBytes: 48_000, list: 27 }), 500],
    ['48 kHz stereo f32', header({ byteRate: 384_000, dataBytes: 384_000 * 3 }), 3000],
    ['a streamed header', header({ byteRate: 96_000, dataBytes: 0xffffffff }), undefined],
    ['not RIFF', header({ byteRate: 96_000, dataBytes: 96_000, riff: 'RIFX' }), undefined],
    ['no byte rate', header({ byteRate: 0, dataBytes: 96_000 }), undefined],
    ['a truncated header', header({ byteRate: 96_000, dataBytes: 96_000 }).subarray(0, 30), undefined],
    ['nothing', Buffer.alloc(0), undefined],
  ])('%s', (_, bytes, expected) => {
    expect(parseWavDurationMs(bytes)).toBe(expected);
  });
});

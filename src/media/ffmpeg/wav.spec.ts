import { decodePcmWav, encodeFloatWav, pcmDurationMs } from 'src/media/ffmpeg/wav';

interface WavOptions {
  samples: number[];
  channels?: number;
  sampleRate?: number;
  format?: number;
  bits?: number;
  /** Size of a LIST chunk before `data` (ffmpeg writes one). */
  list?: number;
  riff?: string;
  /** Overrides the data chunk's size field (0xFFFFFFFF: a streamed header). */
  dataSize?: number;
}

/** A WAV file laid out as ffmpeg and espeak-ng write it: RIFF, fmt, an optional LIST, data. */
function wav(options: WavOptions): Buffer {
  const channels = options.channels ?? 1;
  const bits = options.bits ?? 16;
  const rate = options.sampleRate ?? 48_000;
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(options.format ?? 1, 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(rate, 12);
  fmt.writeUInt32LE((rate * channels * bits) / 8, 16);
  fmt.writeUInt16LE((channels * bits) / 8, 20);
  fmt.writeUInt16LE(bits, 22);
  const list = options.list === undefined ? Buffer.alloc(0) : Buffer.alloc(8 + options.list + (options.list % 2));
  if (options.list !== undefined) {
    list.write('LIST', 0, 'ascii');
    list.writeUInt32LE(options.list, 4);
  }
  const pcm = Buffer.alloc(2 * options.samples.length);
  options.samples.forEach((value, i) => pcm.writeInt16LE(value, 2 * i));
  const data = Buffer.alloc(8);
  data.write('data', 0, 'ascii');
  data.writeUInt32LE(options.dataSize ?? pcm.length, 4);
  const riff = Buffer.alloc(12);
  riff.write(options.riff ?? 'RIFF', 0, 'ascii');
  riff.writeUInt32LE(4 + fmt.length + list.length + data.length + pcm.length, 4);
  riff.write('WAVE', 8, 'ascii');
  return Buffer.concat([riff, fmt, list, data, pcm]);
}

describe(decodePcmWav.name, () => {
  it('reads mono 16-bit samples as -1…1', () => {
    const audio = decodePcmWav(wav({ samples: [0, 16384, -32768, 32767], sampleRate: 22_050 }));
    expect(audio?.sampleRate).toBe(22_050);
    expect(Array.from(audio!.samples)).toEqual([0, 0.5, -1, 32767 / 32768]);
  });

  it('averages the channels of stereo', () => {
    const audio = decodePcmWav(wav({ samples: [16384, 0, -16384, -16384], channels: 2 }));
    expect(Array.from(audio!.samples)).toEqual([0.25, -0.5]);
  });

  it('skips other chunks, odd-sized ones included', () => {
    expect(decodePcmWav(wav({ samples: [8192], list: 27 }))?.samples[0]).toBe(0.25);
  });

  it.each<[string, Buffer]>([
    ['a streamed header', wav({ samples: [1, 2], dataSize: 0xffffffff })],
    ['data cut short', wav({ samples: [1, 2], dataSize: 8 })],
    ['half a stereo frame', wav({ samples: [1, 2, 3], channels: 2, dataSize: 6 })],
    ['16-bit float samples', wav({ samples: [1, 2], format: 3 })],
    ['24-bit samples', wav({ samples: [1, 2, 3], bits: 24 })],
    ['not RIFF', wav({ samples: [1], riff: 'RIFX' })],
    ['a bare header', wav({ samples: [] }).subarray(0, 30)],
    ['nothing', Buffer.alloc(0)],
  ])('refuses %s', (_, bytes) => {
    expect(decodePcmWav(bytes)).toBeUndefined();
  });
});

describe(encodeFloatWav.name, () => {
  it('writes mono 32-bit float that reads back exactly, values above full scale included', () => {
    const samples = Float32Array.from([0, 0.5, -1.75, 3.25, 1e-6]);
    const bytes = encodeFloatWav({ sampleRate: 22_050, samples });
    expect(bytes.length).toBe(44 + 4 * samples.length);
    expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    expect(decodePcmWav(bytes)).toEqual({ sampleRate: 22_050, samples });
  });

  it('writes an empty but valid file for no samples', () => {
    expect(decodePcmWav(encodeFloatWav({ sampleRate: 48_000, samples: new Float32Array(0) }))?.samples.length).toBe(0);
  });
});

describe(pcmDurationMs.name, () => {
  it.each([
    [48_000, 72_000, 1500],
    [22_050, 11_025, 500],
    [24_000, 0, 0],
  ])('at %d Hz, %d samples last %d ms', (sampleRate, count, ms) => {
    expect(pcmDurationMs({ sampleRate, samples: new Float32Array(count) })).toBe(ms);
  });
});

import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WavFileWriter, WavStreamReader } from 'src/providers/ai/openai/wav-stream';
import { makeWav } from 'test/utils/openai-mock-server';

/** Feeds `bytes` in pieces of `size` and returns all samples handed out. */
function readAll(bytes: Buffer, size: number): { reader: WavStreamReader; samples: Buffer } {
  const reader = new WavStreamReader();
  const out: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) {
    out.push(reader.push(bytes.subarray(offset, offset + size)));
  }
  reader.end();
  return { reader, samples: Buffer.concat(out) };
}

/** A WAV with a LIST chunk before `data` and a trailing chunk after it. */
function wavWithExtras(): Buffer {
  const plain = makeWav({ seconds: 0.01 });
  const list = Buffer.concat([Buffer.from('LIST', 'latin1'), Buffer.from([5, 0, 0, 0]), Buffer.from('INFOx\0')]);
  const trailer = Buffer.concat([Buffer.from('id3 ', 'latin1'), Buffer.from([2, 0, 0, 0]), Buffer.from('zz')]);
  return Buffer.concat([plain.subarray(0, 36), list, plain.subarray(36), trailer]);
}

describe(WavStreamReader.name, () => {
  it.each([1, 3, 7, 44, 1000])('hands out exactly the samples, in whole frames, for %i-byte pieces', (size) => {
    const wav = makeWav({ seconds: 0.01 });
    const { reader, samples } = readAll(wav, size);
    expect(samples).toEqual(wav.subarray(44));
    expect(reader.format).toMatchObject({ audioFormat: 1, channels: 1, sampleRate: 24_000, bitsPerSample: 16 });
  });

  it('skips other chunks and stops at the declared data size', () => {
    const { samples } = readAll(wavWithExtras(), 5);
    expect(samples).toEqual(makeWav({ seconds: 0.01 }).subarray(44));
  });

  it('reads to the end when the sizes are streaming placeholders', () => {
    const { samples } = readAll(makeWav({ seconds: 0.01, streaming: true }), 10);
    expect(samples).toEqual(makeWav({ seconds: 0.01 }).subarray(44));
  });

  it.each<[string, Buffer, RegExp]>([
    ['an MP3', Buffer.from('ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000'), /not a RIFF\/WAVE/],
    ['an empty reply', Buffer.alloc(0), /empty reply/],
    ['a cut header', makeWav().subarray(0, 30), /truncated header/],
    ['no samples', makeWav({ seconds: 0 }), /no audio samples/],
  ])('rejects %s as AI_BAD_OUTPUT', (_name, bytes, message) => {
    expect(() => readAll(bytes, 8)).toThrow(
      expect.objectContaining({ code: 'AI_BAD_OUTPUT', message: expect.stringMatching(message) }),
    );
  });
});

describe(WavFileWriter.name, () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reelsmith-wav-'));
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('joins parts, rolls back a failed one, and writes the real sizes', async () => {
    const path = join(dir, 'out.wav');
    const file = await open(path, 'w');
    const sut = new WavFileWriter(file);
    const part = makeWav({ seconds: 0.01 });
    const { reader } = readAll(part, 100);

    await sut.begin(reader.format!);
    await sut.write(part.subarray(44));
    const mark = sut.mark();
    await sut.write(Buffer.alloc(100, 7));
    await sut.rewind(mark);
    await sut.begin(reader.format!);
    await sut.write(part.subarray(44));
    await sut.finish();
    await file.close();

    const written = await readFile(path);
    const samples = part.length - 44;
    expect(written.readUInt32LE(4)).toBe(written.length - 8);
    expect(written.readUInt32LE(40)).toBe(2 * samples);
    expect(written.subarray(8, 36)).toEqual(part.subarray(8, 36));
    expect(written.subarray(44)).toEqual(Buffer.concat([part.subarray(44), part.subarray(44)]));
  });

  it('refuses parts in different formats', async () => {
    const file = await open(join(dir, 'mixed.wav'), 'w');
    const sut = new WavFileWriter(file);
    await sut.begin(readAll(makeWav({ seconds: 0.01 }), 64).reader.format!);
    await expect(
      sut.begin(readAll(makeWav({ seconds: 0.01, sampleRate: 16_000 }), 64).reader.format!),
    ).rejects.toMatchObject({ code: 'AI_BAD_OUTPUT' });
    await file.close();
  });
});

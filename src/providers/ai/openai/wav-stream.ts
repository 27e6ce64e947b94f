import type { FileHandle } from 'node:fs/promises';
import { AiProviderError } from 'src/providers/ai/ai-provider.errors';
import { OPENAI_PROVIDER } from 'src/providers/ai/openai/openai-errors';

export interface WavFormat {
  audioFormat: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign: number;
  /** The `fmt ` chunk body as received, written back unchanged. */
  chunk: Buffer;
}

/** Header bytes before the samples; anything longer is not a speech reply. */
const MAX_HEADER_BYTES = 64 * 1024;
/** Streamed WAV headers (OpenAI's among them) cannot know the size yet and say 0 or 0xFFFFFFFF. */
const UNKNOWN_SIZES = new Set([0, 0xffffffff]);

const badWav = (why: string) =>
  AiProviderError.badOutput(`Speech output is not a usable WAV file: ${why}`, {
    provider: OPENAI_PROVIDER,
  });

/**
 * Reads a WAV byte stream as it arrives and hands out its samples in whole blocks (frames), so the samples of several
 * replies can be joined into one file. Tolerates streamed headers whose sizes are placeholders.
 */
export class WavStreamReader {
  format?: WavFormat;
  dataBytes = 0;
  private header = Buffer.alloc(0);
  private inData = false;
  private remaining = Number.POSITIVE_INFINITY;
  private partialBlock = Buffer.alloc(0);

  /** Returns the samples in `piece`, whole blocks only (a partial block waits for the next piece). */
  push(piece: Buffer): Buffer {
    let samples = piece;
    if (!this.inData) {
      this.header = Buffer.concat([this.header, piece]);
      const start = this.parseHeader();
      if (start === undefined) {
        if (this.header.length > MAX_HEADER_BYTES) {
          throw badWav('no audio data found');
        }
        return Buffer.alloc(0);
      }
      samples = this.header.subarray(start);
      this.header = Buffer.alloc(0);
    }
    if (samples.length > this.remaining) {
      samples = samples.subarray(0, this.remaining);
    }
    this.remaining -= samples.length;
    const joined = this.partialBlock.length > 0 ? Buffer.concat([this.partialBlock, samples]) : samples;
    const whole = joined.length - (joined.length % this.format!.blockAlign);
    this.partialBlock = Buffer.from(joined.subarray(whole));
    this.dataBytes += whole;
    return joined.subarray(0, whole);
  }

  /** Checks the stream, once it has ended, held audio. */
  end(): WavFormat {
    if (!this.inData || !this.format) {
      throw badWav(this.header.length === 0 ? 'empty reply' : 'truncated header');
    }
    if (this.dataBytes === 0) {
      throw badWav('no audio samples');
    }
    return this.format;
  }

  /** Offset of the first sample in `this.header`, once the header is complete. */
  private parseHeader(): number | undefined {
    const bytes = this.header;
    if (bytes.length < 12) {
      return undefined;
    }
    if (bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WAVE') {
      throw badWav('not a RIFF/WAVE stream');
    }
    let offset = 12;
    while (offset + 8 <= bytes.length) {
      const id = bytes.toString('latin1', offset, offset + 4);
      const size = bytes.readUInt32LE(offset + 4);
      const body = offset + 8;
      if (id === 'data') {
        if (!this.format) {
          throw badWav('audio data before the format chunk');
        }
        this.inData = true;
        this.remaining = UNKNOWN_SIZES.has(size) ? Number.POSITIVE_INFINITY : size;
        return body;
      }
      if (size > MAX_HEADER_BYTES) {
        throw badWav(`oversized "${id}" chunk`);
      }
      if (body + size > bytes.length) {
        return undefined;
      }
      if (id === 'fmt ') {
        this.format = parseFormat(bytes.subarray(body, body + size));
      }
      offset = body + size + (size % 2);
    }
    return undefined;
  }
}

function parseFormat(chunk: Buffer): WavFormat {
  if (chunk.length < 16) {
    throw badWav('short format chunk');
  }
  const format: WavFormat = {
    audioFormat: chunk.readUInt16LE(0),
    channels: chunk.readUInt16LE(2),
    sampleRate: chunk.readUInt32LE(4),
    blockAlign: chunk.readUInt16LE(12),
    bitsPerSample: chunk.readUInt16LE(14),
    chunk: Buffer.from(chunk),
  };
  if (format.channels === 0 || format.sampleRate === 0 || format.blockAlign === 0 || format.bitsPerSample === 0) {
    throw badWav('invalid format chunk');
  }
  return format;
}

const sameFormat = (a: WavFormat, b: WavFormat) =>
  a.audioFormat === b.audioFormat &&
  a.channels === b.channels &&
  a.sampleRate === b.sampleRate &&
  a.bitsPerSample === b.bitsPerSample &&
  a.blockAlign === b.blockAlign;

/**
 * Writes one WAV file from the samples of one or more replies, with positional writes so a failed reply's samples can
 * be rolled back before it is retried. `finish` writes the real sizes into the header.
 */
export class WavFileWriter {
  private format?: WavFormat;
  private headerBytes = 0;
  private dataBytes = 0;

  constructor(private readonly file: FileHandle) {}

  /** How much audio is written so far; `rewind` returns to it. */
  mark(): number {
    return this.dataBytes;
  }

  async rewind(mark: number): Promise<void> {
    if (mark < this.dataBytes) {
      this.dataBytes = mark;
      await this.file.truncate(this.headerBytes + mark);
    }
  }

  /** Fixes the file's format from the first reply; a later reply must match it. */
  async begin(format: WavFormat): Promise<void> {
    if (this.format) {
      if (!sameFormat(this.format, format)) {
        throw badWav('the parts of the utterance use different audio formats');
      }
      return;
    }
    this.format = format;
    this.headerBytes = 12 + 8 + format.chunk.length + (format.chunk.length % 2) + 8;
    await this.writeHeader();
  }

  async write(samples: Buffer): Promise<void> {
    if (samples.length === 0) {
      return;
    }
    await this.file.write(samples, 0, samples.length, this.headerBytes + this.dataBytes);
    this.dataBytes += samples.length;
  }

  async finish(): Promise<void> {
    if (!this.format || this.dataBytes === 0) {
      throw badWav('no audio samples');
    }
    await this.writeHeader();
  }

  private async writeHeader(): Promise<void> {
    const fmt = this.format!.chunk;
    const header = Buffer.alloc(this.headerBytes);
    header.write('RIFF', 0, 'latin1');
    header.writeUInt32LE(this.headerBytes - 8 + this.dataBytes, 4);
    header.write('WAVE', 8, 'latin1');
    header.write('fmt ', 12, 'latin1');
    header.writeUInt32LE(fmt.length, 16);
    fmt.copy(header, 20);
    const dataHeader = this.headerBytes - 8;
    header.write('data', dataHeader, 'latin1');
    header.writeUInt32LE(this.dataBytes, dataHeader + 4);
    await this.file.write(header, 0, header.length, 0);
  }
}

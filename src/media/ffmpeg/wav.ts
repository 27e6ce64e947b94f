import { endianness } from 'node:os';

/**
 * RIFF/WAVE headers and PCM (16-bit integer, 32-bit float), read and written in-process. Every WAV
 * read here was written whole by ffmpeg, espeak-ng or `encodeFloatWav` (seekable output, so the
 * sizes are final); reading or writing one here spares an ffmpeg or ffprobe process (~80 ms of
 * CPU each).
 */

interface WavLayout {
  /** 1 = integer PCM, 3 = IEEE float. */
  format: number;
  channels: number;
  sampleRate: number;
  byteRate: number;
  bitsPerSample: number;
  dataOffset: number;
  dataBytes: number;
}

/** Walks the chunks up to `data`; undefined for anything but a plain, complete WAV header. */
function wavLayout(bytes: Buffer): WavLayout | undefined {
  if (bytes.length < 12 || bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    return undefined;
  }
  let fmt: Omit<WavLayout, 'dataOffset' | 'dataBytes'> | undefined;
  for (let offset = 12; offset + 8 <= bytes.length;) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 24 <= bytes.length) {
      fmt = {
        format: bytes.readUInt16LE(offset + 8),
        channels: bytes.readUInt16LE(offset + 10),
        sampleRate: bytes.readUInt32LE(offset + 12),
        byteRate: bytes.readUInt32LE(offset + 16),
        bitsPerSample: bytes.readUInt16LE(offset + 22),
      };
    } else if (id === 'data') {
      // 0xFFFFFFFF: a streamed header whose sizes were never filled in.
      if (!fmt?.byteRate || size === 0xffffffff) {
        return undefined;
      }
      return { ...fmt, dataOffset: offset + 8, dataBytes: size };
    }
    // Chunks are word-aligned: an odd size is followed by a pad byte.
    offset += 8 + size + (size % 2);
  }
  return undefined;
}

export interface PcmAudio {
  sampleRate: number;
  /** The channels averaged to one, -1…1. */
  samples: Float32Array;
}

/** How long the audio plays. */
export const pcmDurationMs = (audio: PcmAudio): number => (audio.samples.length * 1000) / audio.sampleRate;

const INTEGER_PCM = 1;
const IEEE_FLOAT = 3;
// Typed arrays read and write in the host's byte order; WAV is little-endian.
const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** The `count` interleaved samples at `offset`, as -1…1 floats in a new array. */
function interleaved(bytes: Buffer, offset: number, count: number, float: boolean): Float32Array {
  const size = float ? 4 : 2;
  if (!LITTLE_ENDIAN_HOST) {
    return Float32Array.from({ length: count }, (_, i) =>
      float ? bytes.readFloatLE(offset + size * i) : bytes.readInt16LE(offset + size * i) / 32768,
    );
  }
  // Copied first: a typed array over the Buffer's memory would need an aligned offset.
  const copy = new Uint8Array(count * size);
  copy.set(bytes.subarray(offset, offset + count * size));
  return float ? new Float32Array(copy.buffer) : Float32Array.from(new Int16Array(copy.buffer), (v) => v / 32768);
}

/**
 * A complete WAV file of 16-bit integer or 32-bit float PCM → mono float samples; undefined for
 * any other kind.
 */
export function decodePcmWav(bytes: Buffer): PcmAudio | undefined {
  const layout = wavLayout(bytes);
  const float = layout?.format === IEEE_FLOAT && layout.bitsPerSample === 32;
  const int16 = layout?.format === INTEGER_PCM && layout.bitsPerSample === 16;
  if (!layout || !(float || int16) || layout.channels < 1) {
    return undefined;
  }
  const { channels } = layout;
  const frameBytes = (layout.bitsPerSample / 8) * channels;
  if (layout.dataOffset + layout.dataBytes > bytes.length || layout.dataBytes % frameBytes !== 0) {
    return undefined;
  }
  const frames = layout.dataBytes / frameBytes;
  const values = interleaved(bytes, layout.dataOffset, frames * channels, float);
  if (channels === 1) {
    return { sampleRate: layout.sampleRate, samples: values };
  }
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) {
      sum += values[i * channels + c];
    }
    samples[i] = sum / channels;
  }
  return { sampleRate: layout.sampleRate, samples };
}

/** Mono float samples → a 32-bit float WAV file (float, so a gain above full scale never clips). */
export function encodeFloatWav(audio: PcmAudio): Buffer {
  const dataBytes = audio.samples.length * 4;
  const bytes = Buffer.alloc(44 + dataBytes);
  bytes.write('RIFF', 0, 'ascii');
  bytes.writeUInt32LE(36 + dataBytes, 4);
  bytes.write('WAVEfmt ', 8, 'ascii');
  bytes.writeUInt32LE(16, 16);
  bytes.writeUInt16LE(IEEE_FLOAT, 20);
  bytes.writeUInt16LE(1, 22);
  bytes.writeUInt32LE(audio.sampleRate, 24);
  bytes.writeUInt32LE(audio.sampleRate * 4, 28);
  bytes.writeUInt16LE(4, 32);
  bytes.writeUInt16LE(32, 34);
  bytes.write('data', 36, 'ascii');
  bytes.writeUInt32LE(dataBytes, 40);
  if (LITTLE_ENDIAN_HOST) {
    bytes.set(new Uint8Array(audio.samples.buffer, audio.samples.byteOffset, dataBytes), 44);
  } else {
    audio.samples.forEach((sample, i) => bytes.writeFloatLE(sample, 44 + 4 * i));
  }
  return bytes;
}

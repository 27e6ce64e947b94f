import { open, FileHandle } from 'node:fs/promises';
import { box, boxHeader, fullBox, topLevelBoxes, UnsupportedMp4Error, words } from 'src/media/mp4/mp4-boxes';
import { readTrack, TrackSamples, visualCodecConfig } from 'src/media/mp4/mp4-track';

/**
 * The final assembly without an ffmpeg: segments (one H.264 track each, encoded alike) joined
 * end to end under an AAC track, index up front (`+faststart`), audio cut at `durationMs`. This is
 * what `ffmpeg -f concat … -c copy -t … -movflags +faststart` writes for these inputs, packet for
 * packet (an integration test holds it to that), without the ~60 ms an ffmpeg spends loading its
 * libraries and the thread hand-offs of its stream copy. Inputs it does not understand (several
 * tracks, edit lists of more than one edit, differing codec settings) raise UnsupportedMp4Error,
 * and the caller falls back to ffmpeg.
 */

export interface Mp4JoinSpec {
  segmentPaths: string[];
  audioPath: string;
  durationMs: number;
  output: string;
}

// Chunks of about a second of each track alternate in the data, as a muxer interleaves them, so
// a player streaming the file front to back has both.
const CHUNK_SECONDS = 1;
const MOVIE_TIMESCALE = 1000;
const COPY_BUFFER_BYTES = 1 << 20;
const IDENTITY_MATRIX = words(0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000);

interface Source {
  file: FileHandle;
  track: TrackSamples;
  ftyp: Buffer;
}

/** A run of samples copied as one piece: contiguous in one source, one chunk of the output. */
interface Chunk {
  track: 0 | 1;
  source: Source;
  from: number;
  count: number;
  offset: number;
  bytes: number;
  /** When its first sample is decoded, in seconds of the output. */
  start: number;
}

/** A track as written: sample sizes, times in its (possibly finer) timescale, chunks. */
interface OutTrack {
  like: TrackSamples;
  timescale: number;
  sizes: number[];
  deltas: number[];
  ctsOffsets: number[];
  syncSamples: number[] | undefined;
  mediaTime: number;
  presentedMs: number;
  mediaDuration: number;
  chunks: Chunk[];
}

async function openSource(path: string, handler: 'vide' | 'soun'): Promise<Source> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const boxes = await topLevelBoxes(file, size);
    const moov = boxes.find((b) => b.type === 'moov');
    const ftyp = boxes.find((b) => b.type === 'ftyp');
    if (!moov || !ftyp || boxes.some((b) => b.type === 'moof')) {
      throw new UnsupportedMp4Error('not a plain MP4 (no moov, or fragmented)');
    }
    const read = async (from: number, to: number) => {
      const buf = Buffer.alloc(to - from);
      await file.read(buf, 0, buf.length, from);
      return buf;
    };
    return { file, track: readTrack(await read(moov.body, moov.end), handler), ftyp: await read(ftyp.start, ftyp.end) };
  } catch (error) {
    await file.close();
    throw error;
  }
}

/** ffmpeg's rule for a copied track's timescale: the stream's, doubled until at least 10 000. */
function finerTimescale(timescale: number): number {
  let scale = 1;
  while (timescale * scale < 10_000) {
    scale *= 2;
  }
  return scale;
}

/**
 * A source's first `count` samples as chunks of about `CHUNK_SECONDS` of its time (shifted by
 * `offset` seconds), each split where the next sample is not right after in the file.
 */
function timedChunks(source: Source, count: number, offset: number, track: 0 | 1): Chunk[] {
  const { offsets, sizes, dts, timescale } = source.track;
  const at = (i: number) => offset + dts[i] / timescale;
  const chunks: Chunk[] = [];
  let windowEnd = -Infinity;
  for (let s = 0; s < count; s++) {
    const last = chunks[chunks.length - 1];
    if (last && at(s) < windowEnd && offsets[s] === last.offset + last.bytes) {
      last.count++;
      last.bytes += sizes[s];
      continue;
    }
    if (at(s) >= windowEnd) {
      windowEnd = (Math.floor(at(s) / CHUNK_SECONDS) + 1) * CHUNK_SECONDS;
    }
    chunks.push({ track, source, from: s, count: 1, offset: offsets[s], bytes: sizes[s], start: at(s) });
  }
  return chunks;
}

function videoTrack(segments: Source[]): OutTrack {
  const [first] = segments;
  const config = visualCodecConfig(first.track.stsd);
  if (
    segments.some((s) => s.track.timescale !== first.track.timescale || !visualCodecConfig(s.track.stsd).equals(config))
  ) {
    throw new UnsupportedMp4Error('the segments are not encoded alike');
  }
  const scale = finerTimescale(first.track.timescale);
  // Each segment's samples are shifted so its B-frame delay matches the largest one's.
  const delay = Math.max(...segments.map((s) => s.track.mediaTime));
  const out: OutTrack = {
    like: first.track,
    timescale: first.track.timescale * scale,
    sizes: [],
    deltas: [],
    ctsOffsets: [],
    syncSamples: [],
    mediaTime: delay * scale,
    presentedMs: 0,
    mediaDuration: 0,
    chunks: [],
  };
  for (const { track: t } of segments) {
    for (let i = 0; i < t.count; i++) {
      out.sizes.push(t.sizes[i]);
      out.deltas.push(t.durations[i] * scale);
      out.ctsOffsets.push((t.ctsOffsets[i] + delay - t.mediaTime) * scale);
      if (t.sync[i]) {
        out.syncSamples!.push(out.sizes.length);
      }
      out.mediaDuration += t.durations[i] * scale;
    }
  }
  out.presentedMs = (out.mediaDuration * 1000) / out.timescale;
  return out;
}

/** A track's length in seconds: its samples' durations. */
const trackSeconds = (t: TrackSamples) =>
  t.count > 0 ? (t.dts[t.count - 1] + t.durations[t.count - 1]) / t.timescale : 0;

function audioTrack(audio: Source, durationMs: number): OutTrack {
  const t = audio.track;
  const limit = (durationMs / 1000) * t.timescale + t.mediaTime;
  let count = 0;
  while (count < t.count && t.dts[count] < limit) {
    count++;
  }
  const deltas = Array.from(t.durations.subarray(0, count));
  const mediaDuration = deltas.reduce((a, b) => a + b, 0);
  const available = ((mediaDuration - t.mediaTime) * 1000) / t.timescale;
  return {
    like: t,
    timescale: t.timescale,
    sizes: Array.from(t.sizes.subarray(0, count)),
    deltas,
    ctsOffsets: [],
    syncSamples: undefined,
    mediaTime: t.mediaTime,
    presentedMs: Math.min(durationMs, t.presentedMs ?? available, available),
    mediaDuration,
    chunks: [],
  };
}

/** Chunks of about a second of video and of audio, alternating in decode order (video first on ties). */
function interleave(video: OutTrack, segments: Source[], audio: OutTrack, audioSource: Source): Chunk[] {
  let offset = 0;
  const videoChunks = segments.flatMap((segment) => {
    const chunks = timedChunks(segment, segment.track.count, offset, 0);
    offset += trackSeconds(segment.track);
    return chunks;
  });
  const audioChunks = timedChunks(audioSource, audio.sizes.length, 0, 1);
  const plan = [...videoChunks, ...audioChunks].sort((a, b) => a.start - b.start || a.track - b.track);
  video.chunks = plan.filter((c) => c.track === 0);
  audio.chunks = plan.filter((c) => c.track === 1);
  return plan;
}

/** Run-length pairs (count, value) of a list. */
function runs(values: number[]): number[] {
  const out: number[] = [];
  for (const value of values) {
    if (out.length > 0 && out[out.length - 1] === value) {
      out[out.length - 2]++;
    } else {
      out.push(1, value);
    }
  }
  return out;
}

function sampleTable(track: OutTrack, chunkOffsets: number[], wide: boolean): Buffer {
  const parts: Buffer[] = [track.like.stsd];
  const stts = runs(track.deltas);
  parts.push(fullBox('stts', 0, 0, words(stts.length / 2, stts)));
  if (track.syncSamples && track.syncSamples.length < track.sizes.length) {
    parts.push(fullBox('stss', 0, 0, words(track.syncSamples.length, track.syncSamples)));
  }
  if (track.ctsOffsets.some((o) => o !== 0)) {
    const ctts = runs(track.ctsOffsets);
    const version = track.ctsOffsets.some((o) => o < 0) ? 1 : 0;
    parts.push(fullBox('ctts', version, 0, words(ctts.length / 2, ctts)));
  }
  const perChunk = runs(track.chunks.map((c) => c.count));
  const stsc: number[] = [];
  let chunkNumber = 1;
  for (let i = 0; i < perChunk.length; i += 2) {
    stsc.push(chunkNumber, perChunk[i + 1], 1);
    chunkNumber += perChunk[i];
  }
  parts.push(fullBox('stsc', 0, 0, words(stsc.length / 3, stsc)));
  const same = track.sizes.every((s) => s === track.sizes[0]);
  parts.push(
    fullBox(
      'stsz',
      0,
      0,
      same ? words(track.sizes[0] ?? 0, track.sizes.length) : words(0, track.sizes.length, track.sizes),
    ),
  );
  if (wide) {
    const big = Buffer.alloc(8 * chunkOffsets.length);
    chunkOffsets.forEach((o, i) => big.writeBigUInt64BE(BigInt(o), 8 * i));
    parts.push(fullBox('co64', 0, 0, words(chunkOffsets.length), big));
  } else {
    parts.push(fullBox('stco', 0, 0, words(chunkOffsets.length, chunkOffsets)));
  }
  if (track.like.sampleGroup) {
    const type = Buffer.from(track.like.sampleGroup.groupingType, 'latin1');
    parts.push(track.like.sampleGroup.sgpd, fullBox('sbgp', 0, 0, type, words(1, track.sizes.length, 1)));
  }
  return box('stbl', ...parts);
}

function trak(track: OutTrack, id: number, chunkOffsets: number[], wide: boolean): Buffer {
  const presented = Math.round(track.presentedMs);
  const tkhd = fullBox('tkhd', 0, 3, words(0, 0, id, 0, presented, 0, 0), track.like.trackLayout);
  const elst = fullBox('elst', 0, 0, words(1, presented, track.mediaTime, 0x00010000));
  const mdhd = fullBox(
    'mdhd',
    0,
    0,
    words(0, 0, track.timescale, track.mediaDuration),
    Buffer.from([track.like.language >> 8, track.like.language & 0xff, 0, 0]),
  );
  const minf = box('minf', track.like.mediaHeader, track.like.dinf, sampleTable(track, chunkOffsets, wide));
  return box('trak', tkhd, box('edts', elst), box('mdia', mdhd, track.like.hdlr, minf));
}

function moov(tracks: OutTrack[], offsets: number[][], wide: boolean): Buffer {
  const duration = Math.max(...tracks.map((t) => Math.round(t.presentedMs)));
  const mvhd = fullBox(
    'mvhd',
    0,
    0,
    words(0, 0, MOVIE_TIMESCALE, duration, 0x00010000),
    Buffer.from([0x01, 0x00, 0, 0]),
    words(0, 0),
    IDENTITY_MATRIX,
    words(0, 0, 0, 0, 0, 0, tracks.length + 1),
  );
  return box('moov', mvhd, ...tracks.map((t, i) => trak(t, i + 1, offsets[i], wide)));
}

/** Joins the segments under the audio into `output` (see the file's comment). */
export async function joinMp4(spec: Mp4JoinSpec): Promise<void> {
  const sources: Source[] = [];
  try {
    for (const path of spec.segmentPaths) {
      sources.push(await openSource(path, 'vide'));
    }
    const audioSource = await openSource(spec.audioPath, 'soun');
    sources.push(audioSource);
    const segments = sources.slice(0, -1);
    if (segments.length === 0) {
      throw new UnsupportedMp4Error('no segments');
    }
    const video = videoTrack(segments);
    const audio = audioTrack(audioSource, spec.durationMs);
    const plan = interleave(video, segments, audio, audioSource);
    const dataBytes = plan.reduce((sum, c) => sum + c.bytes, 0);
    const ftyp = segments[0].ftyp;
    const mdat = boxHeader('mdat', dataBytes);
    const chunkOffsets = (moovBytes: number) => {
      let at = ftyp.length + moovBytes + mdat.length;
      const offsets: number[][] = [[], []];
      for (const chunk of plan) {
        offsets[chunk.track].push(at);
        at += chunk.bytes;
      }
      return offsets;
    };
    // The index's size depends on the width of the offsets (32 or 64 bits), not their values.
    const narrowBytes = moov([video, audio], chunkOffsets(0), false).length;
    const wide = ftyp.length + narrowBytes + mdat.length + dataBytes > 0xffffffff;
    const moovBytes = wide ? moov([video, audio], chunkOffsets(0), true).length : narrowBytes;
    const index = moov([video, audio], chunkOffsets(moovBytes), wide);
    const out = await open(spec.output, 'w');
    try {
      await out.write(Buffer.concat([ftyp, index, mdat]));
      const buffer = Buffer.alloc(COPY_BUFFER_BYTES);
      for (const chunk of plan) {
        for (let done = 0; done < chunk.bytes;) {
          const length = Math.min(buffer.length, chunk.bytes - done);
          const { bytesRead } = await chunk.source.file.read(buffer, 0, length, chunk.offset + done);
          if (bytesRead !== length) {
            throw new UnsupportedMp4Error('a sample lies past the end of its file');
          }
          await out.write(buffer, 0, length);
          done += length;
        }
      }
    } finally {
      await out.close();
    }
  } finally {
    await Promise.all(sources.map((s) => s.file.close()));
  }
}

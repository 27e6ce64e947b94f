import { BoxRef, childBoxes, findBox, requireBox, UnsupportedMp4Error, versionOf } from 'src/media/mp4/mp4-boxes';

/** One track of an MP4 as a list of samples, with what is needed to write it back. */
export interface TrackSamples {
  handler: 'vide' | 'soun';
  timescale: number;
  /** Decode-time units the edit list skips at the start (B-frame delay, AAC priming). */
  mediaTime: number;
  /** What the edit list presents, in ms; undefined without one. */
  presentedMs?: number;
  /** The `stsd`, `hdlr`, `vmhd`/`smhd` and `dinf` boxes, copied as they are. */
  stsd: Buffer;
  hdlr: Buffer;
  mediaHeader: Buffer;
  dinf: Buffer;
  /** `sgpd` (e.g. AAC's roll recovery) when every sample belongs to its one group. */
  sampleGroup?: { sgpd: Buffer; groupingType: string };
  language: number;
  /** From `tkhd`: volume, matrix, width and height (16.16), copied as they are. */
  trackLayout: Buffer;
  count: number;
  sizes: Uint32Array;
  offsets: Float64Array;
  dts: Float64Array;
  /** Each sample's duration (its `stts` delta), in `timescale` units. */
  durations: Float64Array;
  ctsOffsets: Int32Array;
  sync: Uint8Array;
}

/** Entries of a full box's table: `width` 32-bit words each, after the version/flags and count. */
function table(buf: Buffer, ref: BoxRef, width: number, firstField = 4): Uint32Array {
  const count = buf.readUInt32BE(ref.body + firstField);
  const from = ref.body + firstField + 4;
  if (from + count * width * 4 > ref.end) {
    throw new UnsupportedMp4Error(`the ${ref.type} table overruns its box`);
  }
  const out = new Uint32Array(count * width);
  for (let i = 0; i < out.length; i++) {
    out[i] = buf.readUInt32BE(from + i * 4);
  }
  return out;
}

function editList(buf: Buffer, trak: BoxRef, movieTimescale: number): { mediaTime: number; presentedMs?: number } {
  const elst = findBox(buf, trak, 'edts', 'elst');
  if (!elst) {
    return { mediaTime: 0 };
  }
  const v1 = versionOf(buf, elst) === 1;
  const count = buf.readUInt32BE(elst.body + 4);
  const at = elst.body + 8;
  const duration = v1 ? Number(buf.readBigUInt64BE(at)) : buf.readUInt32BE(at);
  const mediaTime = v1 ? Number(buf.readBigInt64BE(at + 8)) : buf.readInt32BE(at + 4);
  if (count !== 1 || mediaTime < 0) {
    throw new UnsupportedMp4Error('only a single edit from a media time is supported');
  }
  return { mediaTime, presentedMs: (duration * 1000) / movieTimescale };
}

/** Sample offsets from the chunk offsets and the sample-to-chunk runs. */
function sampleOffsets(buf: Buffer, stbl: BoxRef, sizes: Uint32Array): Float64Array {
  const stco = findBox(buf, stbl, 'stco');
  const co64 = findBox(buf, stbl, 'co64');
  let chunks: number[];
  if (stco) {
    chunks = Array.from(table(buf, stco, 1));
  } else if (co64) {
    const words = table(buf, co64, 2);
    chunks = Array.from({ length: words.length / 2 }, (_, i) => words[2 * i] * 2 ** 32 + words[2 * i + 1]);
  } else {
    throw new UnsupportedMp4Error('no chunk offsets');
  }
  const runs = table(buf, requireBox(buf, stbl, 'stsc'), 3);
  const offsets = new Float64Array(sizes.length);
  let sample = 0;
  for (let r = 0; r < runs.length / 3; r++) {
    const first = runs[3 * r] - 1;
    const last = r + 1 < runs.length / 3 ? runs[3 * (r + 1)] - 1 : chunks.length;
    for (let chunk = first; chunk < last; chunk++) {
      let at = chunks[chunk];
      for (let s = 0; s < runs[3 * r + 1] && sample < sizes.length; s++) {
        offsets[sample] = at;
        at += sizes[sample++];
      }
    }
  }
  if (sample !== sizes.length) {
    throw new UnsupportedMp4Error('the chunks do not hold every sample');
  }
  return offsets;
}

/** The samples of the one track of `handler` in a `moov` read into `buf`. */
export function readTrack(buf: Buffer, handler: 'vide' | 'soun'): TrackSamples {
  const moov = { type: 'moov', start: 0, body: 0, end: buf.length };
  const mvhd = requireBox(buf, moov, 'mvhd');
  const movieTimescale = buf.readUInt32BE(mvhd.body + (versionOf(buf, mvhd) === 1 ? 20 : 12));
  const traks = childBoxes(buf, moov.body, moov.end).filter((b) => b.type === 'trak');
  const trak = traks.find((t) => {
    const hdlr = findBox(buf, t, 'mdia', 'hdlr');
    return hdlr !== undefined && buf.toString('latin1', hdlr.body + 8, hdlr.body + 12) === handler;
  });
  if (!trak || traks.length !== 1) {
    throw new UnsupportedMp4Error(`expected one ${handler} track and nothing else`);
  }
  const mdia = requireBox(buf, trak, 'mdia');
  const mdhd = requireBox(buf, mdia, 'mdhd');
  const v1 = versionOf(buf, mdhd) === 1;
  const timescale = buf.readUInt32BE(mdhd.body + (v1 ? 20 : 12));
  const language = buf.readUInt16BE(mdhd.body + (v1 ? 32 : 20));
  const minf = requireBox(buf, mdia, 'minf');
  const stbl = requireBox(buf, minf, 'stbl');
  const tkhd = requireBox(buf, trak, 'tkhd');
  const layoutFrom = tkhd.body + (versionOf(buf, tkhd) === 1 ? 44 : 32);

  const stsz = requireBox(buf, stbl, 'stsz');
  const fixedSize = buf.readUInt32BE(stsz.body + 4);
  const count = buf.readUInt32BE(stsz.body + 8);
  const sizes = fixedSize > 0 ? new Uint32Array(count).fill(fixedSize) : table(buf, stsz, 1, 8);

  const dts = new Float64Array(count);
  const durations = new Float64Array(count);
  const stts = table(buf, requireBox(buf, stbl, 'stts'), 2);
  let sample = 0;
  let time = 0;
  for (let e = 0; e < stts.length / 2; e++) {
    for (let n = 0; n < stts[2 * e] && sample < count; n++) {
      dts[sample] = time;
      durations[sample++] = stts[2 * e + 1];
      time += stts[2 * e + 1];
    }
  }
  if (sample !== count) {
    throw new UnsupportedMp4Error('the decode times do not cover every sample');
  }

  const ctsOffsets = new Int32Array(count);
  const ctts = findBox(buf, stbl, 'ctts');
  if (ctts) {
    const runs = table(buf, ctts, 2);
    let s = 0;
    for (let e = 0; e < runs.length / 2; e++) {
      for (let n = 0; n < runs[2 * e] && s < count; n++) {
        ctsOffsets[s++] = runs[2 * e + 1] | 0;
      }
    }
  }

  const sync = new Uint8Array(count).fill(1);
  const stss = findBox(buf, stbl, 'stss');
  if (stss) {
    sync.fill(0);
    for (const number of table(buf, stss, 1)) {
      sync[number - 1] = 1;
    }
  }

  const copy = (ref: BoxRef) => Buffer.from(buf.subarray(ref.start, ref.end));
  const sgpd = findBox(buf, stbl, 'sgpd');
  const sbgp = findBox(buf, stbl, 'sbgp');
  let sampleGroup: TrackSamples['sampleGroup'];
  if (sgpd && sbgp) {
    const runs = table(buf, sbgp, 2, versionOf(buf, sbgp) === 1 ? 12 : 8);
    if (runs.length === 2 && runs[0] === count && runs[1] === 1) {
      sampleGroup = { sgpd: copy(sgpd), groupingType: buf.toString('latin1', sbgp.body + 4, sbgp.body + 8) };
    }
  }

  return {
    handler,
    timescale,
    ...editList(buf, trak, movieTimescale),
    stsd: copy(requireBox(buf, stbl, 'stsd')),
    hdlr: copy(requireBox(buf, mdia, 'hdlr')),
    mediaHeader: copy(requireBox(buf, minf, handler === 'vide' ? 'vmhd' : 'smhd')),
    dinf: copy(requireBox(buf, minf, 'dinf')),
    sampleGroup,
    language,
    trackLayout: Buffer.from(buf.subarray(layoutFrom, tkhd.end)),
    count,
    sizes,
    offsets: sampleOffsets(buf, stbl, sizes),
    dts,
    durations,
    ctsOffsets,
    sync,
  };
}

/**
 * The codec configuration of a visual sample entry: its child boxes (avcC, pasp, …) without
 * `btrt`, whose bitrates differ between encodes of one setting. Segments are joinable when equal.
 */
export function visualCodecConfig(stsd: Buffer): Buffer {
  // stsd header (8) + version/flags (4) + entry count (4); a visual sample entry's fields take 78 bytes.
  const entries = childBoxes(stsd, 16, stsd.length);
  if (entries.length !== 1) {
    throw new UnsupportedMp4Error('expected one sample description');
  }
  const [entry] = entries;
  return Buffer.concat(
    childBoxes(stsd, entry.body + 78, entry.end)
      .filter((child) => child.type !== 'btrt')
      .map((child) => stsd.subarray(child.start, child.end)),
  );
}

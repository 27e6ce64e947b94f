import type { FileHandle } from 'node:fs/promises';

/**
 * Just enough of ISO BMFF (MP4) to read the index of the files this service writes itself and to
 * write one back: box headers, the few full boxes of a track's sample table, and their encoding.
 */

export class UnsupportedMp4Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedMp4Error';
  }
}

export interface BoxRef {
  type: string;
  /** Offset of the box header in its buffer (or file). */
  start: number;
  /** Offset of the payload (after the header). */
  body: number;
  end: number;
}

/**
 * The box whose header is at `bytes[i]`, at position `at` of a parent (buffer or file) that ends at
 * `end`: its type, payload and end, from a 32-bit size or a 64-bit one (size 1), or to the end
 * (size 0).
 */
function boxAt(bytes: Buffer, i: number, at: number, end: number): BoxRef {
  let size = bytes.readUInt32BE(i);
  const type = bytes.toString('latin1', i + 4, i + 8);
  let body = at + 8;
  if (size === 1) {
    size = Number(bytes.readBigUInt64BE(i + 8));
    body = at + 16;
  } else if (size === 0) {
    size = end - at;
  }
  if (size < body - at || at + size > end) {
    throw new UnsupportedMp4Error(`a ${JSON.stringify(type)} box overruns its parent`);
  }
  return { type, start: at, body, end: at + size };
}

/** The boxes laid one after another in `buf` between `from` and `to`. */
export function childBoxes(buf: Buffer, from = 0, to = buf.length): BoxRef[] {
  const boxes: BoxRef[] = [];
  for (let at = from; at + 8 <= to; at = boxes[boxes.length - 1].end) {
    boxes.push(boxAt(buf, at, at, to));
  }
  return boxes;
}

/** The first box of `type` among the children of `parent`, following a path of types. */
export function findBox(buf: Buffer, parent: BoxRef | undefined, ...path: string[]): BoxRef | undefined {
  let current = parent;
  for (const type of path) {
    const from = current ? current.body : 0;
    const to = current ? current.end : buf.length;
    current = childBoxes(buf, from, to).find((box) => box.type === type);
    if (!current) {
      return undefined;
    }
  }
  return current;
}

export function requireBox(buf: Buffer, parent: BoxRef | undefined, ...path: string[]): BoxRef {
  const box = findBox(buf, parent, ...path);
  if (!box) {
    throw new UnsupportedMp4Error(`no ${path.join('/')} box`);
  }
  return box;
}

/** The top-level boxes of a file, from their headers only (an `mdat` is not read). */
export async function topLevelBoxes(file: FileHandle, size: number): Promise<BoxRef[]> {
  const header = Buffer.alloc(16);
  const boxes: BoxRef[] = [];
  for (let at = 0; at + 8 <= size; at = boxes[boxes.length - 1].end) {
    await file.read(header, 0, 16, at);
    boxes.push(boxAt(header, 0, at, size));
  }
  return boxes;
}

/** A box header for `payloadBytes` of payload: a 32-bit size, or a 64-bit one when it does not fit. */
export function boxHeader(type: string, payloadBytes: number): Buffer {
  const wide = payloadBytes + 8 > 0xffffffff;
  const header = Buffer.alloc(wide ? 16 : 8);
  header.writeUInt32BE(wide ? 1 : payloadBytes + 8, 0);
  header.write(type, 4, 'latin1');
  if (wide) {
    header.writeBigUInt64BE(BigInt(payloadBytes + 16), 8);
  }
  return header;
}

/** A box: its header, then the payload. */
export function box(type: string, ...payload: Buffer[]): Buffer {
  const length = payload.reduce((sum, part) => sum + part.length, 0);
  return Buffer.concat([boxHeader(type, length), ...payload]);
}

/** A full box: version and flags, then the payload. */
export function fullBox(type: string, version: number, flags: number, ...payload: Buffer[]): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(((version & 0xff) << 24) | (flags & 0xffffff), 0);
  return box(type, head, ...payload);
}

/**
 * Big-endian unsigned 32-bit words; a table is passed as an array (an hour of AAC is ~170 000
 * samples, more than a spread call takes as arguments).
 */
export function words(...values: Array<number | readonly number[]>): Buffer {
  const flat = values.flat();
  const buf = Buffer.alloc(flat.length * 4);
  flat.forEach((value, i) => buf.writeUInt32BE(value >>> 0, i * 4));
  return buf;
}

/** Version of a full box (its first byte). */
export const versionOf = (buf: Buffer, ref: BoxRef) => buf.readUInt8(ref.body);

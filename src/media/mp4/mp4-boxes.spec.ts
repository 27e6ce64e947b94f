import { box, boxHeader, childBoxes, UnsupportedMp4Error, words } from 'src/media/mp4/mp4-boxes';

describe('MP4 boxes', () => {
  it('writes a 32-bit size, or a 64-bit one when the payload does not fit', () => {
    expect(boxHeader('mdat', 10)).toEqual(Buffer.from([0, 0, 0, 18, 0x6d, 0x64, 0x61, 0x74]));
    const wide = boxHeader('mdat', 2 ** 32);
    expect(wide.readUInt32BE(0)).toBe(1);
    expect(wide.toString('latin1', 4, 8)).toBe('mdat');
    expect(wide.readBigUInt64BE(8)).toBe(BigInt(2 ** 32 + 16));
  });

  it('reads back the boxes it writes, and refuses one that overruns its parent', () => {
    const both = Buffer.concat([box('free', Buffer.alloc(3)), box('skip')]);
    expect(childBoxes(both)).toEqual([
      { type: 'free', start: 0, body: 8, end: 11 },
      { type: 'skip', start: 11, body: 19, end: 19 },
    ]);
    expect(() => childBoxes(both.subarray(0, 10))).toThrow(UnsupportedMp4Error);
  });

  it('packs tables of any length as 32-bit words (an hour of AAC has ~170 000 samples)', () => {
    const table = Array.from({ length: 200_000 }, (_, i) => i);
    const packed = words(table.length, table);
    expect(packed).toHaveLength(4 * 200_001);
    expect(packed.readUInt32BE(0)).toBe(200_000);
    expect(packed.readUInt32BE(4 * 200_000)).toBe(199_999);
  });
});

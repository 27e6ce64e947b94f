import { sniffMime } from 'src/modules/assets/magic-bytes';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const latin = (text: string) => Buffer.from(text, 'latin1');

describe(sniffMime.name, () => {
  it.each([
    ['PNG', hex('89504e470d0a1a0a 0000000d49484452'), 'image/png'],
    ['JPEG', hex('ffd8ffe000104a46'), 'image/jpeg'],
    ['GIF', latin('GIF89a\x01\x00'), 'image/gif'],
    ['WebP', latin('RIFF\x24\x00\x00\x00WEBPVP8 '), 'image/webp'],
    ['WAV', latin('RIFF\x24\x00\x00\x00WAVEfmt '), 'audio/wav'],
    ['MP4', latin('\x00\x00\x00\x20ftypisom\x00\x00\x02\x00'), 'video/mp4'],
    ['QuickTime', latin('\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00'), 'video/quicktime'],
    ['M4A', latin('\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00'), 'audio/mp4'],
    ['WebM', Buffer.concat([hex('1a45dfa3 9f4286810142f7810142f2810442f381084282'), latin('webm')]), 'video/webm'],
    [
      'Matroska',
      Buffer.concat([hex('1a45dfa3 9f4286810142f7810142f2810442f381084282'), latin('matroska')]),
      'video/x-matroska',
    ],
    ['Ogg', latin('OggS\x00\x02'), 'audio/ogg'],
    ['FLAC', latin('fLaC\x00\x00\x00\x22'), 'audio/flac'],
    ['MP3 with ID3', latin('ID3\x04\x00\x00'), 'audio/mpeg'],
    ['MP3 frame', hex('fffb9064'), 'audio/mpeg'],
    ['AAC ADTS', hex('fff15080'), 'audio/aac'],
    ['plain text', latin('hello, I am a PNG, honest'), undefined],
    ['HLS playlist', latin('#EXTM3U\n#EXT-X-VERSION:3'), undefined],
    ['ffconcat list', latin("ffconcat version 1.0\nfile '/etc/passwd'"), undefined],
    ['PDF', latin('%PDF-1.7'), undefined],
    ['ZIP', hex('504b0304'), undefined],
    ['empty', Buffer.alloc(0), undefined],
    ['truncated PNG', hex('89504e47'), undefined],
  ])('%s', (_name, head, expected) => {
    expect(sniffMime(head)).toBe(expected);
  });
});

import type { RenderTemplate } from 'src/media/render/render.types';
import {
  assColor,
  buildAss,
  escapeAssText,
  formatAssTime,
  subtitleAssStyle,
  wrapOptionsFor,
} from 'src/media/subtitles/ass.builder';

const template: RenderTemplate = {
  width: 1080,
  height: 1920,
  fps: 30,
  fontFamily: 'Noto Sans CJK SC',
  subtitleStyle: { fontSize: 96, primaryColor: '#FFEE00', outlineColor: '#102030', position: 'bottom' },
  transition: 'fade',
  transitionMs: 400,
  musicVolume: 0.3,
  kenBurns: true,
};

describe(buildAss.name, () => {
  it('writes a complete file in the template style', () => {
    expect(
      buildAss(
        [
          { startMs: 0, endMs: 2340, text: 'A quiet morning\nin the old town.' },
          { startMs: 2500, endMs: 4805, text: '老城，{很安静}。' },
        ],
        template,
        { playResX: 1080, playResY: 1920 },
      ),
    ).toBe(
      [
        '[Script Info]',
        'ScriptType: v4.00+',
        'PlayResX: 1080',
        'PlayResY: 1920',
        'WrapStyle: 0',
        'ScaledBorderAndShadow: yes',
        '',
        '[V4+ Styles]',
        'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
        'Style: Default,Noto Sans CJK SC,96,&H0000EEFF,&H000000FF,&H00302010,&H80302010,0,0,0,0,100,100,0,0,1,6,0,2,65,65,192,1',
        '',
        '[Events]',
        'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
        String.raw`Dialogue: 0,0:00:00.00,0:00:02.34,Default,,0,0,0,,A quiet morning\Nin the old town.`,
        String.raw`Dialogue: 0,0:00:02.50,0:00:04.81,Default,,0,0,0,,老城，\{很安静\}。`,
        '',
      ].join('\n'),
    );
  });

  it('lays out cues that are not wrapped yet, and keeps those that are', () => {
    const ass = buildAss(
      [
        { startMs: 0, endMs: 3000, text: '清晨的老城很安静，街上几乎没有人，我们慢慢地走过石桥。' },
        { startMs: 3000, endMs: 4000, text: 'Already\nwrapped by the caller, however long this line is' },
      ],
      template,
      { playResX: 1080, playResY: 1920 },
    );
    expect(ass.split('\n').filter((line) => line.startsWith('Dialogue:'))).toEqual([
      // Nine CJK characters a line; without a dictionary a word (我们) can break across lines.
      String.raw`Dialogue: 0,0:00:00.00,0:00:02.00,Default,,0,0,0,,清晨的老城很安静，\N街上几乎没有人，我`,
      String.raw`Dialogue: 0,0:00:02.00,0:00:03.00,Default,,0,0,0,,们慢慢地走过石桥。`,
      String.raw`Dialogue: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,Already\Nwrapped by the caller, however long this line is`,
    ]);
  });

  it.each([
    ['bottom' as const, 2],
    ['center' as const, 5],
    ['top' as const, 8],
  ])('aligns %s subtitles with numpad %d', (position, alignment) => {
    const style = subtitleAssStyle({ ...template, subtitleStyle: { ...template.subtitleStyle, position } });
    expect(style.alignment).toBe(alignment);
  });

  it('keeps a comma in the font name from shifting the style fields', () => {
    const ass = buildAss([], { ...template, fontFamily: 'Evil, Font' }, { playResX: 1080, playResY: 1920 });
    expect(ass).toContain('Style: Default,Evil  Font,96,');
  });
});

describe(assColor.name, () => {
  it.each([
    ['#FFFFFF', '&H00FFFFFF'],
    ['#000000', '&H00000000'],
    ['#FF0000', '&H000000FF'],
    ['#00ff00', '&H0000FF00'],
    ['#123456', '&H00563412'],
  ])('%s → %s', (hex, ass) => {
    expect(assColor(hex)).toBe(ass);
  });

  it.each(['FFFFFF', '#FFF', '#GGGGGG', 'white', '#FFFFFF00'])('refuses %j', (hex) => {
    expect(() => assColor(hex)).toThrow(/#RRGGBB/);
  });
});

describe(formatAssTime.name, () => {
  it.each([
    [0, '0:00:00.00'],
    [4, '0:00:00.00'],
    [5, '0:00:00.01'],
    [1234, '0:00:01.23'],
    [59_999, '0:01:00.00'],
    [61_250, '0:01:01.25'],
    [3_723_450, '1:02:03.45'],
    [-100, '0:00:00.00'],
  ])('%d ms → %s', (ms, time) => {
    expect(formatAssTime(ms)).toBe(time);
  });
});

describe(escapeAssText.name, () => {
  it.each([
    ['plain text', 'plain text'],
    ['{\\b1}bold?', '\\{\\\u2060b1\\}bold?'],
    ['C:\\New folder', 'C:\\\u2060New folder'],
    ['a\\nb \\h', 'a\\\u2060nb \\\u2060h'],
    ['one\ntwo\r\nthree\rfour', 'one\\Ntwo\\Nthree\\Nfour'],
    ['}{', '\\}\\{'],
    ['中文，标点！', '中文，标点！'],
  ])('%j is shown literally', (text, escaped) => {
    expect(escapeAssText(text)).toBe(escaped);
  });

  it('leaves no override block, line break or hard space that libass would interpret', () => {
    const escaped = escapeAssText('{\\pos(1,1)}\\N\\n\\h{}\\{');
    // An unescaped "{" opens an override block; "\N", "\n", "\h" are the only other specials.
    expect(escaped).not.toMatch(/(^|[^\\])\{/);
    expect(escaped).not.toMatch(/\\[Nnh]/);
  });
});

describe(wrapOptionsFor.name, () => {
  it('fits the frame width between the margins', () => {
    // 1080 - 2 × 65 = 950 px: 9 CJK characters of 96 px, 17 Latin ones of ~53 px.
    expect(wrapOptionsFor(template, 96)).toEqual({ maxLatinChars: 17, maxCjkChars: 9, maxLines: 2 });
    expect(wrapOptionsFor({ width: 180, height: 320 }, 20, 3)).toEqual({
      maxLatinChars: 14,
      maxCjkChars: 7,
      maxLines: 3,
    });
  });
});

import { aspectRatioOf, defaultSubtitleStyle, matchesAspectRatio } from 'src/modules/templates/template-geometry';

describe('template geometry', () => {
  it.each([
    [1080, 1920, '9:16'],
    [720, 1280, '9:16'],
    [1920, 1080, '16:9'],
    [854, 480, '16:9'],
    [1080, 1080, '1:1'],
    [144, 144, '1:1'],
  ])('%i×%i is %s', (width, height, ratio) => {
    expect(aspectRatioOf(width, height)).toBe(ratio);
  });

  it.each([
    [1080, 1350],
    [1000, 1920],
    [1920, 1200],
  ])('%i×%i has none of the three ratios', (width, height) => {
    expect(aspectRatioOf(width, height)).toBeUndefined();
  });

  it('checks a declared ratio against the frame', () => {
    expect(matchesAspectRatio('9:16', 1080, 1920)).toBe(true);
    expect(matchesAspectRatio('16:9', 1080, 1920)).toBe(false);
  });

  it('scales the default subtitle size with the height', () => {
    expect(defaultSubtitleStyle(1920)).toEqual({
      fontSize: 115,
      primaryColor: '#FFFFFF',
      outlineColor: '#000000',
      position: 'bottom',
    });
    expect(defaultSubtitleStyle(1080).fontSize).toBe(65);
  });
});

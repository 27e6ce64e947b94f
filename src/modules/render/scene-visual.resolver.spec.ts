import { titleCardText } from 'src/modules/render/scene-visual.resolver';

describe(titleCardText.name, () => {
  it.each([
    [
      'Close-up shot that evokes "How bees talk", bold subject, natural light',
      'Close-up shot that evokes "How bees talk"',
    ],
    ['长城在晨雾中，广角，电影感', '长城在晨雾中'],
    ['A short prompt', 'A short prompt'],
    [
      'An extraordinarily long single clause describing a scene that just keeps going well past the limit of the card',
      'An extraordinarily long single clause describing a scene that just keeps going…',
    ],
    [', leading comma only', ', leading comma only'],
  ])('%s → %s', (prompt, expected) => {
    expect(titleCardText(prompt)).toBe(expected);
  });
});

export type Tone = 'neutral' | 'playful' | 'serious' | 'inspiring';

/** Every facet a script can cover, in the order a viewer hears them. */
export const FACETS = [
  'hook',
  'intro',
  'origin',
  'why',
  'how',
  'example',
  'fact',
  'myth',
  'tip',
  'future',
  'recap',
  'cta',
] as const;
export type Facet = (typeof FACETS)[number];

/** A sentence; functions receive how to refer to the topic (the topic itself, or a stand-in when it is too long). */
export type Line = string | ((ref: string) => string);

export interface FacetTemplates {
  /** Opening sentence by tone; the seed picks one when there are several. */
  lead: Record<Tone, readonly Line[]>;
  /** A shorter opening for when the duration budget is tight. */
  short: Line;
  /** Openings for the second and third scene of the same facet (long scripts). */
  more?: readonly Line[];
  /** Tone-neutral elaboration in reading order, added while the script is shorter than asked. */
  support: readonly Line[];
}

export interface LanguageTemplates {
  /** Refers to the topic when it is too long to repeat in every scene. */
  topicStandIn: string;
  facets: Record<Facet, FacetTemplates>;
  /** The call to action that ends every script. */
  signOff: Record<Tone, string>;
  shortSignOff: string;
  /** Titles by tone, for short topics that are not questions. */
  title: Record<Tone, (topic: string) => string>;
}

/**
 * Visual prompts are English in every language: image models follow English prompts best, and viewers never see
 * them. The topic is embedded verbatim, quoted as the subject.
 */
export const VISUAL_COMPOSITIONS: Record<Facet, (topic: string) => string> = {
  hook: (t) => `Striking opening shot that instantly evokes "${t}", bold central subject, shallow depth of field`,
  intro: (t) =>
    `Clear overview image introducing "${t}", the main subject shown whole against an uncluttered background`,
  origin: (t) => `Historical scene showing the early beginnings of "${t}", vintage details, archival photo feel`,
  why: (t) => `People in an everyday setting visibly affected by "${t}", candid moment, emotional connection`,
  how: (t) =>
    `Cutaway, diagram-like visual showing how "${t}" works, its parts arranged step by step from left to right`,
  example: (t) => `Real-world scene with "${t}" in action, ordinary street or home setting, rich natural detail`,
  fact: (t) => `Surprising close-up detail related to "${t}", macro shot from an unexpected perspective`,
  myth: (t) => `Split-screen image contrasting a common myth about "${t}" with the reality`,
  tip: (t) => `Over-the-shoulder shot of a person trying a simple, practical tip about "${t}" at a desk`,
  future: (t) => `Forward-looking scene imagining the future of "${t}", wide horizon, sense of possibility`,
  recap: (t) => `Tidy flat-lay collage summarising the key ideas of "${t}", organised grid composition`,
  cta: (t) => `Warm closing shot related to "${t}", inviting composition with empty space in the upper third`,
};

/** Repeated facets get a different camera so consecutive visuals do not look alike. */
export const VISUAL_ANGLES = ['', 'seen from a different angle', 'extreme close-up perspective'] as const;

export const VISUAL_STYLES: Record<Tone, string> = {
  neutral: 'natural light, photorealistic, high detail',
  playful: 'bright saturated colours, playful cartoon illustration style',
  serious: 'muted colour palette, documentary photography, soft contrast',
  inspiring: 'golden-hour light, cinematic wide lens, uplifting mood',
};

/**
 * The silences a render puts around the spoken words; whoever sizes a script to a video length
 * (the offline writer) counts them too.
 */

/** Between two sentences of a narration track. */
export const SENTENCE_PAUSE_MS = 250;
/** After a scene's narration, before the next scene starts. */
export const SCENE_TAIL_MS = 500;

/** The poster kept beside a segment file: the same key, `.jpg` for `.mp4`. */
const posterKeyOf = (fileKey: string) => fileKey.replace(/\.mp4$/, '.jpg');

/**
 * Where a render keeps a scene's encoded segment, and beside it the poster frame written by the
 * same encode (a first scene's, or none): a later render that reuses the segment reuses the poster.
 */
export function segmentStorageKeys(sceneId: string, hash: string) {
  const file = `segments/${sceneId}/${hash}.mp4`;
  return { file, poster: posterKeyOf(file) };
}

/** Every object a scene's segment may own, from its file's key. */
export function segmentObjectKeys(fileKey: string): string[] {
  return [fileKey, posterKeyOf(fileKey)];
}

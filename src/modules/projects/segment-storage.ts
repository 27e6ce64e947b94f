/**
 * Where a render keeps a scene's encoded segment, and beside it the poster frame written by the
 * same encode (a first scene's, or none): a later render that reuses the segment reuses the poster.
 */
export function segmentStorageKeys(sceneId: string, hash: string) {
  const base = `segments/${sceneId}/${hash}`;
  return { file: `${base}.mp4`, poster: `${base}.jpg` };
}

/** Every object a scene's segment may own, from its file's key. */
export function segmentObjectKeys(fileKey: string): string[] {
  return [fileKey, fileKey.replace(/\.mp4$/, '.jpg')];
}

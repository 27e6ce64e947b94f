/** Where a render keeps a video's files: one folder per video, owned by it (deleted with it). */
export function videoStorageKeys(ownerId: string, videoId: string) {
  const folder = `videos/${ownerId}/${videoId}`;
  return {
    file: `${folder}/video.mp4`,
    thumbnail: `${folder}/thumbnail.jpg`,
    subtitles: `${folder}/subtitles.vtt`,
  };
}

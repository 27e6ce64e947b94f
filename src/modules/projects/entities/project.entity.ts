import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user's video in the making: its settings; its scenes are rows of project_scenes. */
@Entity('projects')
export class ProjectEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'owner_id', type: 'varchar', length: 36 }) ownerId!: string;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'varchar', length: 500, nullable: true }) topic!: string | null;
  @Column({ type: 'varchar', length: 16 }) language!: string;
  @Column({ name: 'template_id', type: 'varchar', length: 36 }) templateId!: string;
  /** Null: the speech provider's default voice for the language. */
  @Column({ name: 'voice_id', type: 'varchar', length: 100, nullable: true }) voiceId!: string | null;
  @Column({ name: 'music_asset_id', type: 'varchar', length: 36, nullable: true }) musicAssetId!: string | null;
  @Column({ type: 'boolean', default: true }) subtitles!: boolean;
  @Column({ name: 'latest_video_id', type: 'varchar', length: 36, nullable: true }) latestVideoId!: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt!: Date;
}

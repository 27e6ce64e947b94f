import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SubtitlePosition, Transition } from 'src/media/render/render.types';

export const ASPECT_RATIOS = ['9:16', '16:9', '1:1'] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

/** A catalogue entry: the frame, fonts and motion a project renders with. */
@Entity('templates')
export class TemplateEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 64, unique: true }) name!: string;
  @Column({ name: 'aspect_ratio', type: 'varchar', length: 8 }) aspectRatio!: AspectRatio;
  @Column({ type: 'int' }) width!: number;
  @Column({ type: 'int' }) height!: number;
  @Column({ type: 'int' }) fps!: number;
  @Column({ name: 'font_family', type: 'varchar', length: 128 }) fontFamily!: string;
  @Column({ name: 'subtitle_font_size', type: 'int' }) subtitleFontSize!: number;
  @Column({ name: 'subtitle_primary_color', type: 'varchar', length: 7 }) subtitlePrimaryColor!: string;
  @Column({ name: 'subtitle_outline_color', type: 'varchar', length: 7 }) subtitleOutlineColor!: string;
  @Column({ name: 'subtitle_position', type: 'varchar', length: 8 }) subtitlePosition!: SubtitlePosition;
  @Column({ type: 'varchar', length: 8 }) transition!: Transition;
  @Column({ name: 'transition_ms', type: 'int' }) transitionMs!: number;
  @Column({ name: 'music_volume', type: 'double' }) musicVolume!: number;
  @Column({ name: 'ken_burns', type: 'boolean' }) kenBurns!: boolean;
  /** Seeded by a migration; cannot be deleted or renamed. */
  @Column({ name: 'built_in', type: 'boolean', default: false }) builtIn!: boolean;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt!: Date;
}

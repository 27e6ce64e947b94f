import { MigrationInterface, QueryRunner, Table } from 'typeorm';

// Frozen here on purpose: later changes to the built-ins are new migrations, not edits to this one.
const BUILT_INS = [
  { id: '42a9c6b1-390f-4f83-9e67-408245dfab5b', name: 'vertical-default', ratio: '9:16', w: 1080, h: 1920, kb: 1 },
  { id: '8265b3c1-a914-4257-8355-4cca98808548', name: 'landscape-default', ratio: '16:9', w: 1920, h: 1080, kb: 1 },
  { id: '230558d4-ef5e-433f-b33c-0fa77879bf87', name: 'square-default', ratio: '1:1', w: 1080, h: 1080, kb: 0 },
];

/** UTC 'YYYY-MM-DD HH:MM:SS.mmm': what both drivers store for a datetime(3) and read back as UTC. */
const datetime = (date: Date) => date.toISOString().replace('T', ' ').replace('Z', '');

export class CreateTemplates1795943889624 implements MigrationInterface {
  name = 'CreateTemplates1795943889624';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'templates',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '64', isUnique: true },
          { name: 'aspect_ratio', type: 'varchar', length: '8' },
          { name: 'width', type: 'int' },
          { name: 'height', type: 'int' },
          { name: 'fps', type: 'int' },
          { name: 'font_family', type: 'varchar', length: '128' },
          { name: 'subtitle_font_size', type: 'int' },
          { name: 'subtitle_primary_color', type: 'varchar', length: '7' },
          { name: 'subtitle_outline_color', type: 'varchar', length: '7' },
          { name: 'subtitle_position', type: 'varchar', length: '8' },
          { name: 'transition', type: 'varchar', length: '8' },
          { name: 'transition_ms', type: 'int' },
          { name: 'music_volume', type: 'double' },
          { name: 'ken_burns', type: 'boolean' },
          { name: 'built_in', type: 'boolean', default: false },
          { name: 'created_at', type: 'datetime', precision: 3 },
          { name: 'updated_at', type: 'datetime', precision: 3 },
        ],
      }),
    );
    const start = Date.now();
    for (const [i, t] of BUILT_INS.entries()) {
      // One millisecond apart, so the list keeps this order.
      const at = datetime(new Date(start + i));
      await queryRunner.query(
        'INSERT INTO templates (id, name, aspect_ratio, width, height, fps, font_family, subtitle_font_size, ' +
          'subtitle_primary_color, subtitle_outline_color, subtitle_position, transition, transition_ms, ' +
          'music_volume, ken_burns, built_in, created_at, updated_at) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
          t.id,
          t.name,
          t.ratio,
          t.w,
          t.h,
          30,
          'Noto Sans CJK SC',
          Math.round(t.h * 0.06),
          '#FFFFFF',
          '#000000',
          'bottom',
          'fade',
          300,
          0.25,
          t.kb,
          1,
          at,
          at,
        ],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('templates');
  }
}

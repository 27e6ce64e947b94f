import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class CreateAssets1795942316969 implements MigrationInterface {
  name = 'CreateAssets1795942316969';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'assets',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'owner_id', type: 'varchar', length: '36' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'mime_type', type: 'varchar', length: '64' },
          { name: 'size_bytes', type: 'bigint' },
          { name: 'original_name', type: 'varchar', length: '255' },
          { name: 'storage_key', type: 'varchar', length: '255' },
          { name: 'owns_object', type: 'boolean', default: true },
          { name: 'etag', type: 'varchar', length: '80' },
          { name: 'width', type: 'int', isNullable: true },
          { name: 'height', type: 'int', isNullable: true },
          { name: 'duration_ms', type: 'int', isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
        indices: [
          { name: 'idx_assets_owner_created', columnNames: ['owner_id', 'created_at'] },
          { name: 'idx_assets_owner_kind', columnNames: ['owner_id', 'kind', 'created_at'] },
        ],
        foreignKeys: [
          {
            name: 'fk_assets_owner',
            columnNames: ['owner_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('assets');
  }
}

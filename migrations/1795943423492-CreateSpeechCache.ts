import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class CreateSpeechCache1795943423492 implements MigrationInterface {
  name = 'CreateSpeechCache1795943423492';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'speech_cache',
        columns: [
          { name: 'cache_key', type: 'varchar', length: '64', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '8' },
          { name: 'storage_key', type: 'varchar', length: '255' },
          { name: 'duration_ms', type: 'int' },
          { name: 'size_bytes', type: 'int' },
          { name: 'etag', type: 'varchar', length: '80' },
          { name: 'sentences', type: 'text', isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('speech_cache');
  }
}

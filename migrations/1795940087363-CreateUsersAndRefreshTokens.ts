import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';

const id = (name: string): TableColumnOptions => ({ name, type: 'varchar', length: '36' });
const timestamp = (name: string, isNullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable,
});

export class CreateUsersAndRefreshTokens1795940087363 implements MigrationInterface {
  name = 'CreateUsersAndRefreshTokens1795940087363';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { ...id('id'), isPrimary: true },
          { name: 'email', type: 'varchar', length: '320', isUnique: true },
          { name: 'password_hash', type: 'varchar', length: '255' },
          { name: 'display_name', type: 'varchar', length: '100' },
          { name: 'role', type: 'varchar', length: '16', default: "'user'" },
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'refresh_tokens',
        columns: [
          { ...id('id'), isPrimary: true },
          id('user_id'),
          id('family_id'),
          { name: 'token_hash', type: 'varchar', length: '64' },
          timestamp('expires_at'),
          timestamp('used_at', true),
          timestamp('revoked_at', true),
          timestamp('created_at'),
        ],
        indices: [
          { name: 'idx_refresh_tokens_user', columnNames: ['user_id'] },
          { name: 'idx_refresh_tokens_family', columnNames: ['family_id'] },
        ],
        foreignKeys: [
          {
            name: 'fk_refresh_tokens_user',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('refresh_tokens');
    await queryRunner.dropTable('users');
  }
}

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DbConfig } from 'src/config/app.config';
import { dataSourceOptions } from 'src/database/data-source.options';
import { runMigrations } from 'src/database/migrate';
import { RefreshTokenEntity } from 'src/modules/auth/entities/refresh-token.entity';
import { RefreshTokensRepository } from 'src/modules/auth/refresh-tokens.repository';
import { UserEntity } from 'src/modules/users/entities/user.entity';
import { UsersRepository } from 'src/modules/users/users.repository';

/** MySQL runs when TEST_MYSQL_URL is given (CI starts MariaDB and sets it). */
function mysqlTarget(): DbConfig | undefined {
  const raw = process.env.TEST_MYSQL_URL;
  if (!raw) {
    return undefined;
  }
  const url = new URL(raw);
  const name = url.pathname.slice(1);
  if (!name.includes('test')) {
    throw new Error(`TEST_MYSQL_URL must name a database containing "test" (got "${name}"): these tests drop tables`);
  }
  return {
    type: 'mysql',
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    name,
    poolSize: 5,
  };
}

const sqliteDir = mkdtempSync(join(tmpdir(), 'reelsmith-db-'));
const targets: [string, DbConfig][] = [['sqlite', { type: 'sqlite', path: join(sqliteDir, 'test.db') }]];
const mysql = mysqlTarget();
if (mysql) {
  targets.push(['mysql', mysql]);
}

afterAll(() => rmSync(sqliteDir, { recursive: true, force: true }));

describe.each(targets)('Database on %s', (_name, db) => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await new DataSource(dataSourceOptions(db)).initialize();
    // Start from nothing: earlier runs may have left tables behind in a shared test database.
    await dataSource.dropDatabase();
    await runMigrations(dataSource);
  });

  afterAll(() => dataSource.destroy());

  it('applies every migration, and a second run is a no-op', async () => {
    expect(await dataSource.showMigrations()).toBe(false);
    await runMigrations(dataSource);
    const tables = await dataSource.createQueryRunner().getTables(['users', 'refresh_tokens']);
    expect(tables.map((t) => t.name).sort()).toEqual(['refresh_tokens', 'users']);
  });

  it('reverts every migration cleanly and applies them again', async () => {
    const count = dataSource.migrations.length;
    for (let i = 0; i < count; i++) {
      await dataSource.undoLastMigration();
    }
    const runner = dataSource.createQueryRunner();
    expect(await runner.hasTable('users')).toBe(false);
    await runner.release();
    await runMigrations(dataSource);
    expect(await dataSource.showMigrations()).toBe(false);
  });

  describe(UsersRepository.name, () => {
    let sut: UsersRepository;
    const newUser = (email: string) => ({
      id: randomUUID(),
      email,
      passwordHash: 'hash',
      displayName: 'Someone',
      role: 'user' as const,
    });

    beforeAll(() => {
      sut = new UsersRepository(dataSource.getRepository(UserEntity));
    });

    it('stores a user, finds it by id and by email in any case, keeping millisecond timestamps', async () => {
      const created = await sut.create(newUser('Mixed.Case@Example.com'));
      expect(created).not.toBeNull();
      const byEmail = await sut.findByEmail('mixed.case@EXAMPLE.com');
      expect(byEmail).toMatchObject({ id: created!.id, email: 'mixed.case@example.com', role: 'user' });
      expect(byEmail!.createdAt.getTime()).toBe(created!.createdAt.getTime());
      expect(await sut.findById(created!.id)).toMatchObject({ email: 'mixed.case@example.com' });
    });

    it('returns null instead of a second user for a taken email (unique index)', async () => {
      expect(await sut.create(newUser('taken@example.com'))).not.toBeNull();
      expect(await sut.create(newUser('TAKEN@example.com'))).toBeNull();
    });

    it('updates role and password hash', async () => {
      const user = (await sut.create(newUser(`promote-${randomUUID()}@example.com`)))!;
      await sut.update(user.id, { role: 'admin', passwordHash: 'new-hash' });
      expect(await sut.findById(user.id)).toMatchObject({ role: 'admin', passwordHash: 'new-hash' });
    });
  });

  describe(RefreshTokensRepository.name, () => {
    let sut: RefreshTokensRepository;
    let userId: string;

    beforeAll(async () => {
      sut = new RefreshTokensRepository(dataSource.getRepository(RefreshTokenEntity));
      const users = new UsersRepository(dataSource.getRepository(UserEntity));
      userId = (await users.create({
        id: randomUUID(),
        email: `tokens-${randomUUID()}@example.com`,
        passwordHash: 'h',
        displayName: 'T',
        role: 'user',
      }))!.id;
    });

    const token = (familyId: string) => ({
      id: randomUUID(),
      userId,
      familyId,
      tokenHash: 'a'.repeat(64),
      expiresAt: new Date(Date.now() + 60_000),
    });

    it('marks a token used exactly once, even under concurrent attempts', async () => {
      const t = token(randomUUID());
      await sut.create(t);
      const results = await Promise.all([sut.markUsed(t.id), sut.markUsed(t.id), sut.markUsed(t.id)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await sut.findById(t.id))!.usedAt).toBeInstanceOf(Date);
    });

    it('revokes a whole family and nothing else', async () => {
      const family = randomUUID();
      const [a, b, other] = [token(family), token(family), token(randomUUID())];
      await Promise.all([sut.create(a), sut.create(b), sut.create(other)]);
      await sut.revokeFamily(family);
      expect((await sut.findById(a.id))!.revokedAt).toBeInstanceOf(Date);
      expect((await sut.findById(b.id))!.revokedAt).toBeInstanceOf(Date);
      expect((await sut.findById(other.id))!.revokedAt).toBeNull();
      expect(await sut.markUsed(a.id)).toBe(false);
    });
  });
});

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { QueryFailedError, Repository } from 'typeorm';
import { isUniqueViolation } from 'src/database/errors';
import { TemplateEntity } from 'src/modules/templates/entities/template.entity';

export type NewTemplate = Omit<TemplateEntity, 'createdAt' | 'updatedAt' | 'builtIn'>;
export type TemplateChanges = Partial<Omit<TemplateEntity, 'id' | 'createdAt' | 'updatedAt' | 'builtIn'>>;

/** True when a delete hit a row another table still references (projects.template_id). */
function isReferenced(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) {
    return false;
  }
  const code = (error.driverError as { code?: string } | undefined)?.code;
  if (code === 'ER_ROW_IS_REFERENCED_2' || code === 'ER_ROW_IS_REFERENCED') {
    return true;
  }
  // SQLite reports ON DELETE RESTRICT as SQLITE_CONSTRAINT_TRIGGER, NO ACTION as ..._FOREIGNKEY.
  return code?.startsWith('SQLITE_CONSTRAINT') === true && /FOREIGN KEY/i.test(error.message);
}

@Injectable()
export class TemplatesRepository {
  constructor(@InjectRepository(TemplateEntity) private readonly templates: Repository<TemplateEntity>) {}

  list(): Promise<TemplateEntity[]> {
    return this.templates.find({ order: { createdAt: 'ASC', name: 'ASC' } });
  }

  findById(id: string): Promise<TemplateEntity | null> {
    return this.templates.findOneBy({ id });
  }

  /** By id or, when `ref` is not a UUID, by name. */
  findByRef(ref: string): Promise<TemplateEntity | null> {
    return isUUID(ref) ? this.findById(ref.toLowerCase()) : this.templates.findOneBy({ name: ref.toLowerCase() });
  }

  /** Null when the name is taken. */
  async create(template: NewTemplate): Promise<TemplateEntity | null> {
    const now = new Date();
    const entity = this.templates.create({ ...template, builtIn: false, createdAt: now, updatedAt: now });
    try {
      await this.templates.insert(entity);
      return entity;
    } catch (error) {
      if (isUniqueViolation(error)) {
        return null;
      }
      throw error;
    }
  }

  /** False when the new name is taken. */
  async update(id: string, changes: TemplateChanges): Promise<boolean> {
    try {
      await this.templates.update({ id }, { ...changes, updatedAt: new Date() });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) {
        return false;
      }
      throw error;
    }
  }

  /** The foreign key from projects decides atomically whether the template is still used. */
  async delete(id: string): Promise<'deleted' | 'missing' | 'in-use'> {
    try {
      const result = await this.templates.delete({ id, builtIn: false });
      return (result.affected ?? 0) === 1 ? 'deleted' : 'missing';
    } catch (error) {
      if (isReferenced(error)) {
        return 'in-use';
      }
      throw error;
    }
  }
}

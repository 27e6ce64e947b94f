import { Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { AppError } from 'src/common/errors/app-error';

/** A path id that is not a UUID names nothing: 404, like any id the caller cannot see. */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  constructor(private readonly what: string) {}

  transform(value: string): string {
    if (!isUUID(value)) {
      throw AppError.notFound(this.what);
    }
    return value.toLowerCase();
  }
}

import { CacheInterceptor } from '@nestjs/cache-manager';
import { ExecutionContext, Injectable } from '@nestjs/common';
import { TEMPLATES_CACHE_KEY } from 'src/modules/templates/templates.constants';

/**
 * CacheInterceptor keyed by the one list URL, whatever query string came with it, so that
 * deleting TEMPLATES_CACHE_KEY after a write drops every cached copy.
 */
@Injectable()
export class TemplatesCacheInterceptor extends CacheInterceptor {
  protected override async trackBy(context: ExecutionContext): Promise<string | undefined> {
    return (await super.trackBy(context)) ? TEMPLATES_CACHE_KEY : undefined;
  }
}

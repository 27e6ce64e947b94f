/**
 * The built-in templates' fixed ids, seeded by migration 1795943889624-CreateTemplates (whose
 * values are frozen there). Clients and code may rely on them, or on the names.
 */
export const BUILT_IN_TEMPLATE_IDS = {
  'vertical-default': '42a9c6b1-390f-4f83-9e67-408245dfab5b',
  'landscape-default': '8265b3c1-a914-4257-8355-4cca98808548',
  'square-default': '230558d4-ef5e-433f-b33c-0fa77879bf87',
} as const;

export type BuiltInTemplateName = keyof typeof BUILT_IN_TEMPLATE_IDS;

/** What a project renders with when it names no template. */
export const DEFAULT_TEMPLATE_ID = BUILT_IN_TEMPLATE_IDS['vertical-default'];

/** The key CacheInterceptor stores GET /templates under; every write deletes it. */
export const TEMPLATES_CACHE_KEY = '/api/v1/templates';

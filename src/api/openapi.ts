import { z } from 'zod';
import type { RouteSpec } from './route.js';

type JsonSchema = Record<string, unknown>;

/** Builds the OpenAPI 3.1 document from the registered routes and their zod schemas. */
export function buildOpenApi(specs: readonly RouteSpec[]): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const openApiPath = spec.path.replace(/:(\w+)/g, '{$1}');
    const documented = schemaProperties(spec.params);
    const pathParams = [...spec.path.matchAll(/:(\w+)/g)].map((m) => {
      const property = documented[m[1] ?? ''];
      return {
        name: m[1],
        in: 'path',
        required: true,
        ...(typeof property?.description === 'string' ? { description: property.description } : {}),
        schema: property ?? { type: 'string' },
      };
    });
    const operation: Record<string, unknown> = {
      summary: spec.summary,
      tags: [spec.tag],
      parameters: [...pathParams, ...queryParameters(spec.query)],
      responses: Object.fromEntries(
        Object.entries({
          ...spec.responses,
          ...(spec.access === 'public' ? {} : { 401: 'Missing or invalid API key', 403: 'Role not allowed' }),
        }).map(([status, description]) => [
          status,
          { description, content: status.startsWith('2') ? undefined : errorContent },
        ]),
      ),
      ...(spec.access === 'public'
        ? { security: [] }
        : { security: [{ bearer: [] }], 'x-roles': [...new Set(['admin', ...spec.access])] }),
    };
    if (spec.body) {
      const schema = z.toJSONSchema(spec.body, { io: 'input', unrepresentable: 'any' });
      operation.requestBody = {
        required: true,
        content: Object.fromEntries(
          (spec.bodyContentTypes ?? ['application/json']).map((type) => [
            type,
            type === 'application/json'
              ? { schema }
              : type === 'multipart/form-data'
                ? {
                    schema: {
                      type: 'object',
                      properties: { file: { type: 'array', items: { type: 'string', format: 'binary' } } },
                    },
                  }
                : { schema: { type: 'string', description: 'One native conversation per line' } },
          ]),
        ),
      };
    }
    paths[openApiPath] = { ...paths[openApiPath], [spec.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'VoC bank conversation analytics API',
      version: '1',
      description:
        'Upload call transcripts and chats, search the voice of the customer. Send `Authorization: Bearer <key>`.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: { type: 'object', properties: { where: { type: 'string' }, message: { type: 'string' } } },
        },
        requestId: { type: 'string' },
      },
    },
  },
};
const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

function schemaProperties(schema: z.ZodType | undefined): Record<string, JsonSchema> {
  if (!schema) return {};
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonSchema>;
  };
  return json.properties ?? {};
}

function queryParameters(schema: z.ZodType | undefined): JsonSchema[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

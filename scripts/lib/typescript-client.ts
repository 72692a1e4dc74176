import openapiTS, { type OpenAPI3 } from 'openapi-typescript';
import { apiRoutes } from '../../api/src/app/routes.ts';
import { API_VERSION } from '../../api/src/app/server.ts';
import { openApiDocument } from '../../api/src/http/openapi.ts';
import type { RouteDeps } from '../../api/src/http/route-deps.ts';

/** Where the generated types live (`npm run client` writes them; a test checks they are current). */
export const TYPESCRIPT_CLIENT_PATH = new URL('../../clients/typescript/atrium.d.ts', import.meta.url);

/**
 * Route specs only to describe them: documenting reads no dependency, and a handler run against
 * these would fail loudly rather than serve.
 */
const describeOnly = new Proxy({} as RouteDeps, {
  get(_target, name) {
    throw new Error(`route dependencies are not available when documenting (${String(name)})`);
  },
});

/** The API's OpenAPI document, from the route specs the API serves, without starting anything. */
export function apiDocument(): ReturnType<typeof openApiDocument> {
  return openApiDocument(apiRoutes(describeOnly), API_VERSION);
}

/** TypeScript types of every path, operation and schema of the document (openapi-typescript). */
export async function typescriptClientTypes(): Promise<string> {
  return openapiTS(JSON.parse(JSON.stringify(apiDocument())) as OpenAPI3, {
    commentHeader:
      '/**\n * Generated from the OpenAPI document of the Atrium API by `npm run client` (openapi-typescript).\n * Do not edit: change the route specs and run it again.\n */\n\n',
  });
}

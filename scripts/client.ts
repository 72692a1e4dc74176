/**
 * Writes the TypeScript types of the API (clients/typescript/atrium.d.ts) from its OpenAPI
 * document, generated from the route specs: `npm run client`.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { TYPESCRIPT_CLIENT_PATH, typescriptClientTypes } from './lib/typescript-client.ts';

await writeFile(TYPESCRIPT_CLIENT_PATH, await typescriptClientTypes());
process.stderr.write(`wrote ${fileURLToPath(TYPESCRIPT_CLIENT_PATH)}\n`);

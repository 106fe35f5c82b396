import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';
import { type OpenApiDocument, openApiDocument } from './openapi.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where the contract's generated files live: the document `npm run build` writes for deploys and
 * tools (dist/), and the copies kept in the repository, which client teams generate from (the
 * document) and the TypeScript client compiles against (its types).
 */
export const CONTRACT_FILES = {
  dist: path.join(root, 'dist', 'openapi.json'),
  document: path.join(root, 'clients', 'openapi.json'),
  types: path.join(root, 'clients', 'typescript', 'src', 'schema.ts'),
} as const;

/** The document as written to disk (stable: the same routes give the same bytes). */
export function documentText(document: OpenApiDocument = openApiDocument()): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The client's types, generated from `document` by openapi-typescript. */
export async function clientTypesText(document: OpenApiDocument = openApiDocument()): Promise<string> {
  const ast = await openapiTS(structuredClone(document) as unknown as OpenAPI3, { silent: true, rootTypes: true });
  const header = `${COMMENT_HEADER.trim()}\n// Generated from clients/openapi.json by \`npm run contract\` (lib/contract/artifacts.ts): do not edit.\n\n`;
  return `${header}${astToString(ast)}`;
}

/** Writes the document (dist/ and clients/) and the client's types; returns the files written. */
export async function writeContractFiles(): Promise<string[]> {
  const document = openApiDocument();
  const text = documentText(document);
  const types = await clientTypesText(document);
  for (const file of Object.values(CONTRACT_FILES)) await mkdir(path.dirname(file), { recursive: true });
  await writeFile(CONTRACT_FILES.dist, text);
  await writeFile(CONTRACT_FILES.document, text);
  await writeFile(CONTRACT_FILES.types, types);
  return Object.values(CONTRACT_FILES);
}

/** The committed files that differ from what the contract generates now (empty: up to date). */
export async function staleContractFiles(): Promise<string[]> {
  const document = openApiDocument();
  const expected: Array<[string, string]> = [
    [CONTRACT_FILES.document, documentText(document)],
    [CONTRACT_FILES.types, await clientTypesText(document)],
  ];
  const stale: string[] = [];
  for (const [file, text] of expected) {
    const actual = await readFile(file, 'utf8').catch(() => undefined);
    if (actual !== text) stale.push(path.relative(root, file));
  }
  return stale;
}

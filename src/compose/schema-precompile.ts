import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { composeSchema, newAjv, PRECOMPILED_VALIDATOR, schemaDigest } from './compose-schema.js';

const standaloneCode = standaloneModule.default;

/**
 * Writes the compose validator as standalone CommonJS code, with the digest of the schema it was
 * made from. Run by `npm run build` after tsc, so it lands beside dist/compose/compose-schema.js.
 */
export function precompileValidator(out = PRECOMPILED_VALIDATOR): void {
  const ajv = newAjv(true);
  const validate = ajv.compile(composeSchema());
  const code = standaloneCode(ajv, validate);
  writeFileSync(out, `${code}\nmodule.exports.schemaDigest = ${JSON.stringify(schemaDigest())};\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) precompileValidator();

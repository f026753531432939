import { TscError } from '../errors/index.js';
import { composeValidator } from './compose-schema.js';
import { describeSchemaErrors } from './schema-errors.js';
import { formatPath, type Dict, type PositionIndex } from './types.js';

export { schemaKeys } from './schema-keys.js';

/** One compose file's data, after interpolation, as the validation stage sees it. */
export interface SchemaInput {
  /** The file, for messages. */
  path: string;
  data: Dict;
  positions?: PositionIndex;
}

/**
 * The validation stage: checks one file against schemas/compose.schema.json and throws
 * `COMPOSE_SCHEMA` for the most specific problem found, with its compose path, its place in the
 * file and a hint (the nearest allowed key for a misspelt one, the expected type for a wrong one).
 */
export function validateSchema(file: SchemaInput): void {
  const validate = composeValidator();
  if (validate(file.data)) return;
  const problem = describeSchemaErrors(validate.errors ?? [], file.data);
  throw new TscError('COMPOSE_SCHEMA', problem.message, {
    hint: problem.hint,
    path: problem.path.length === 0 ? undefined : formatPath(problem.path),
    location: file.positions?.locate(problem.path) ?? { file: file.path },
  });
}

/**
 * Startup check of every field's `defaultValue` against the field itself: a
 * default is written without going through validation, so a `select` default
 * outside its options or an `integer` default under its `min` would store
 * what no client could send. Function defaults run per document and are
 * not checked here.
 */
import { fieldSchema } from "../operations/body-schema.ts";
import { jsonInputProblem } from "../query/json-input.ts";
import type { FieldConfig } from "./fields.ts";

function defaultProblem(field: FieldConfig): string | undefined {
  const value = field.defaultValue;
  if (value === null) return field.required ? "a required field cannot default to null" : undefined;
  const problem = jsonInputProblem(value);
  if (problem) return problem.message;
  const result = fieldSchema(field).safeParse(value);
  if (result.success) return undefined;
  const issue = result.error.issues[0]!;
  return issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
}

/** One line per field whose default its own rules refuse; `path` is where the fields sit. */
export function defaultValueProblems(fields: Record<string, FieldConfig>, path: string): string[] {
  const problems: string[] = [];
  for (const [name, field] of Object.entries(fields)) {
    const here = `${path}.${name}`;
    if (field.type === "array")
      problems.push(...defaultValueProblems(field.fields, `${here}.fields`));
    if (field.defaultValue === undefined || typeof field.defaultValue === "function") continue;
    const problem = defaultProblem(field);
    if (problem) problems.push(`${here}.defaultValue: ${problem}`);
  }
  return problems;
}

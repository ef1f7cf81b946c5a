/**
 * A `where` value that came as query-string text (bracket form,
 * `where[views][gt]=10`): the parser reads it by the field's type, so `"10"`
 * compares as a number on an integer field and stays text on a text field.
 * JSON input can never produce one, so a JSON `"10"` is still a string.
 */
import { invalid } from "../http/errors.ts";
import type { ColumnKind } from "../schema/value-kinds.ts";

export class QueryText {
  constructor(readonly text: string) {}
}

const INTEGER_TEXT = /^-?[0-9]{1,16}$/;
const NUMBER_TEXT = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

/** `true` / `false`, as `exists` takes them. */
export function booleanOfText(value: QueryText, path: string): boolean {
  if (value.text === "true") return true;
  if (value.text === "false") return false;
  throw invalid(path, "must be true or false");
}

/** The text as the JSON value a column of `kind` takes; a wrong shape is the same 400 as JSON input gets. */
export function valueOfText(kind: ColumnKind, value: QueryText, path: string): unknown {
  const { text } = value;
  switch (kind.base) {
    case "integer":
      if (!INTEGER_TEXT.test(text)) throw invalid(path, "must be an integer");
      return Number(text);
    case "numeric":
      if (!NUMBER_TEXT.test(text)) throw invalid(path, "must be a number");
      return Number(text);
    case "boolean":
      return booleanOfText(value, path);
    default:
      return text;
  }
}

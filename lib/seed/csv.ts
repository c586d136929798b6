/**
 * A small RFC 4180 CSV reader that remembers the line each record starts on, so a bad row
 * can be reported by file and line.
 *
 * @module
 */

/** One parsed record with the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * An unterminated quoted field: where it starts, and the complete records before it, so a reader
 * can keep those and report the one bad record by its line.
 */
export class CsvSyntaxError extends SyntaxError {
  /** Creates the error for a quoted field opened on `line`. */
  constructor(readonly line: number, readonly records: CsvRecord[]) {
    super(`Unterminated quoted field starting on line ${line}`);
  }
}

/**
 * Parse CSV text: quoted fields, doubled quotes, CRLF or LF, newlines inside quotes.
 *
 * @example
 * ```ts
 * import { parseCsv } from "./csv.ts";
 * console.assert(parseCsv('a,"b,c"\n1,"say ""hi"""')[1].fields[1] === 'say "hi"');
 * ```
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let sawAny = false;
  const src = text.replace(/^\uFEFF/, "");
  // Runs of ordinary characters are copied as one slice: a 10,000-row catalog parses in
  // milliseconds rather than one string append per character.
  const plain = /[^",\r\n]+/y;
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '"') {
      sawAny = true;
      let j = i + 1;
      for (;;) {
        const close = src.indexOf('"', j);
        if (close < 0) {
          throw new CsvSyntaxError(recordLine, records);
        }
        const chunk = src.slice(j, close);
        field += chunk;
        for (let k = chunk.indexOf("\n"); k >= 0; k = chunk.indexOf("\n", k + 1)) line++;
        if (src[close + 1] === '"') {
          field += '"';
          j = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
    } else if (ch === ",") {
      fields.push(field);
      field = "";
      sawAny = true;
      i++;
    } else if (ch === "\n" || ch === "\r") {
      i += ch === "\r" && src[i + 1] === "\n" ? 2 : 1;
      if (sawAny || field !== "") {
        fields.push(field);
        records.push({ line: recordLine, fields });
      }
      fields = [];
      field = "";
      sawAny = false;
      line++;
      recordLine = line;
    } else {
      plain.lastIndex = i;
      plain.test(src);
      field += src.slice(i, plain.lastIndex);
      sawAny = true;
      i = plain.lastIndex;
    }
  }
  if (sawAny || field !== "") {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  return records;
}

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
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let sawAny = false;
  const src = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (inQuotes) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      inQuotes = true;
      sawAny = true;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
      sawAny = true;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && src[i + 1] === "\n") i++;
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
      field += ch;
      sawAny = true;
    }
  }
  if (inQuotes) throw new SyntaxError(`Unterminated quoted field starting on line ${recordLine}`);
  if (sawAny || field !== "") {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  return records;
}

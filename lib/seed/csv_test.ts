import { deepEqual, throws } from "node:assert/strict";
import { parseCsv } from "./csv.ts";

Deno.test("parseCsv() reads plain records with their line numbers", () => {
  deepEqual(parseCsv("id,name\n1,Tent\n2,Stove\n"), [
    { line: 1, fields: ["id", "name"] },
    { line: 2, fields: ["1", "Tent"] },
    { line: 3, fields: ["2", "Stove"] },
  ]);
});

Deno.test("parseCsv() handles quotes, doubled quotes and commas inside quotes", () => {
  deepEqual(parseCsv('a,"b,c","say ""hi""",""\n').map((r) => r.fields), [
    ["a", "b,c", 'say "hi"', ""],
  ]);
});

Deno.test("parseCsv() accepts CRLF, bare CR and a missing final newline", () => {
  deepEqual(parseCsv("h1,h2\r\n1,2\r\n3,4").map((r) => r.fields), [["h1", "h2"], ["1", "2"], [
    "3",
    "4",
  ]]);
  deepEqual(parseCsv("a\rb").map((r) => r.fields), [["a"], ["b"]]);
});

Deno.test("parseCsv() keeps newlines inside quoted fields and counts lines past them", () => {
  const records = parseCsv('id,description\n1,"line one\nline two\r\nline three"\n2,after\n');
  deepEqual(records[1], { line: 2, fields: ["1", "line one\nline two\r\nline three"] });
  deepEqual(records[2], { line: 5, fields: ["2", "after"] });
});

Deno.test("parseCsv() skips blank lines but keeps empty fields", () => {
  deepEqual(parseCsv("a,b\n\n\n1,\n,\n"), [
    { line: 1, fields: ["a", "b"] },
    { line: 4, fields: ["1", ""] },
    { line: 5, fields: ["", ""] },
  ]);
});

Deno.test("parseCsv() strips a byte-order mark", () => {
  deepEqual(parseCsv("\uFEFFid,name\n1,x")[0].fields, ["id", "name"]);
});

Deno.test("parseCsv() rejects an unterminated quote, naming its line", () => {
  throws(
    () => parseCsv('id,name\n1,ok\n2,"never closed\n3,x\n'),
    new SyntaxError("Unterminated quoted field starting on line 3"),
  );
});

Deno.test("parseCsv() of empty text is no records", () => {
  deepEqual(parseCsv(""), []);
});

/**
 * The reader as first written, one character at a time: slow on a 10,000-row catalog, but
 * plainly right. The run-copying reader must agree with it on every input.
 */
function parseCsvByCharacter(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
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
    } else if (ch === '"') {
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

Deno.test("parseCsv() agrees with a character-by-character reader on 20,000 random texts", () => {
  const pieces = ["a", "Tent", ",", '"', '""', "\n", "\r", "\r\n", " ", "é", "\uFEFF", "1.5"];
  let seed = 20_251_201;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const outcome = (text: string) => {
    try {
      return parseCsvByCharacter(text);
    } catch (error) {
      return (error as Error).message;
    }
  };
  for (let n = 0; n < 20_000; n++) {
    let text = "";
    for (let k = Math.floor(random() * 40); k > 0; k--) {
      text += pieces[Math.floor(random() * pieces.length)];
    }
    let actual;
    try {
      actual = parseCsv(text);
    } catch (error) {
      actual = (error as Error).message;
    }
    deepEqual(actual, outcome(text), JSON.stringify(text));
  }
});

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

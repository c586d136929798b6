import assert from "node:assert/strict";
import { sha256Hex, shortHash, stableJson } from "./hash.ts";

Deno.test("sha256Hex() matches known SHA-256 digests", () => {
  // Digests of the FIPS 180-2 examples.
  assert.equal(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(
    sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.equal(shortHash("abc"), "ba7816bf8f01");
  assert.notEqual(sha256Hex("tent"), sha256Hex("tent "));
});

Deno.test("stableJson() ignores key order and undefined fields", () => {
  assert.equal(stableJson({ b: 1, a: [1, { d: 2, c: undefined }] }), '{"a":[1,{"d":2}],"b":1}');
  assert.equal(stableJson({ a: 1, b: 2 }), stableJson({ b: 2, a: 1 }));
  assert.equal(stableJson(undefined), "null");
});

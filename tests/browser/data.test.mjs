// data.json: the same document in the site's root and in embed/, valid against the JSON
// Schema the site publishes, for the shipped survey (with its versions and histories) and
// a book without versions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { build, repo } from "./helpers.mjs";

const schema = JSON.parse(readFileSync(join(repo, "themes/default/static/schema/data.schema.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

function check(site) {
  const text = readFileSync(join(site, "data.json"), "utf8");
  assert.equal(readFileSync(join(site, "embed/data.json"), "utf8"), text, "embed/data.json is the same document");
  const published = readFileSync(join(repo, "themes/default/static/schema/data.schema.json"), "utf8");
  assert.equal(readFileSync(join(site, "schema/data.schema.json"), "utf8"), published, "the site publishes the schema");
  const data = JSON.parse(text);
  assert.ok(validate(data), JSON.stringify(validate.errors, null, 2));
  return data;
}

test("the shipped survey's data.json validates against its schema", () => {
  const data = check(build(repo));
  for (const model of data.models) assert.equal(model.values.length, data.dimensions.length);
  if (data.versions) {
    assert.equal(data.at, data.versions.current);
    const histories = data.models.flatMap((m) => m.values).filter((v) => v.history).map((v) => v.history);
    assert.ok(histories.length > 0, "the survey has values with a history");
    for (const history of histories) {
      assert.equal(history[0].since, data.versions.list[0], "a history starts at the first version");
    }
  }
});

test("the browser fixture's data.json, with versions, validates too", () => {
  const data = check(build(join(repo, "tests/fixtures/browser")));
  assert.deepEqual(data.versions, { list: ["1.0", "2.0"], current: "2.0" });
  const delta = data.models.find((m) => m.slug === "delta");
  assert.deepEqual(delta.values[1].history.map((h) => h.since), ["1.0", "2.0"]);
});

test("a book without versions has no versions in its data", () => {
  const data = check(build(join(repo, "tests/fixtures/dimension-kinds")));
  assert.equal(data.versions, undefined);
  assert.equal(data.at, undefined);
});

test("the schema rejects what versus never writes", () => {
  const data = JSON.parse(readFileSync(join(build(join(repo, "tests/fixtures/browser")), "data.json"), "utf8"));
  const broken = structuredClone(data);
  broken.models[0].values[0].na = true; // a value that is both n/a and levels
  assert.equal(validate(broken), false);
  const unknown = structuredClone(data);
  unknown.models[0].values[0].colour = "red";
  assert.equal(validate(unknown), false);
  const history = structuredClone(data);
  history.models[0].values[0].history = [{ since: "1.0", levels: ["cpu"], source: "not-a-url" }, { since: "2.0", na: true }];
  assert.equal(validate(history), false);
});

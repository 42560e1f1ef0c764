// Check YAML files against arendegen's JSON Schema as an editor reads them, with Ajv in its
// strict mode: `node check.mjs SCHEMA.json FILE.yaml ...` prints one JSON object a line,
// first {"schema": "ok"} or {"schema": ERROR}, then per file {"file", "valid", "errors"},
// each error with its instance path, line (1-based) and Ajv's message.
// With --values, reads [{"schema": S, "value": V}, ...] on stdin and prints whether each
// value is valid against its (strictly compiled) schema.
import Ajv2020 from "ajv/dist/2020.js";
import { readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";

function strictAjv() {
  return new Ajv2020({ strict: true, allErrors: true });
}

function lineOf(doc, counter, pointer) {
  const parts = pointer
    .split("/")
    .slice(1)
    .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
  for (let n = parts.length; n >= 0; n--) {
    const node = doc.getIn(parts.slice(0, n).map((p) => (/^\d+$/.test(p) ? Number(p) : p)), true);
    if (node && node.range) return counter.linePos(node.range[0]).line;
  }
  return 1;
}

const args = process.argv.slice(2);
if (args[0] === "--values") {
  const requests = JSON.parse(readFileSync(0, "utf8"));
  const ajv = strictAjv();
  const compiled = new Map();
  const answers = requests.map(({ schema, value }) => {
    const key = JSON.stringify(schema);
    if (!compiled.has(key)) compiled.set(key, ajv.compile(schema));
    return compiled.get(key)(value);
  });
  console.log(JSON.stringify(answers));
} else {
  const [schemaPath, ...files] = args;
  let validate;
  try {
    validate = strictAjv().compile(JSON.parse(readFileSync(schemaPath, "utf8")));
    console.log(JSON.stringify({ schema: "ok" }));
  } catch (error) {
    console.log(JSON.stringify({ schema: String(error) }));
    process.exit(1);
  }
  for (const file of files) {
    const counter = new LineCounter();
    // YAML 1.2's core schema, as yaml-language-server reads a file by default.
    const doc = parseDocument(readFileSync(file, "utf8"), { lineCounter: counter });
    if (doc.errors.length) {
      const errors = doc.errors.map((e) => ({
        path: "",
        line: e.linePos?.[0]?.line ?? 1,
        message: e.message,
      }));
      console.log(JSON.stringify({ file, valid: false, errors }));
      continue;
    }
    const valid = validate(doc.toJS());
    const errors = (validate.errors ?? []).map((e) => ({
      path: e.instancePath,
      line: lineOf(doc, counter, e.instancePath),
      message: e.message,
      keyword: e.keyword,
    }));
    console.log(JSON.stringify({ file, valid, errors }));
  }
}

#!/usr/bin/env node
// Lints Cypher queries with Neo4j's own Cypher front end
// (@neo4j-cypher/language-support: the ANTLR parser plus Neo4j's semantic
// analysis compiled to JavaScript).  Runs fully offline.
//
// Request, JSON on stdin:
//   {"schema": {"labels": [...], "relationshipTypes": [...], "propertyKeys": [...]},
//    "queries": [{"name": "...", "query": "...", "parameters": {"name": value}}]}
//
//   * labels and relationshipTypes: a label or relationship type not listed is
//     a warning.  The library checks them only when BOTH lists are given.
//   * propertyKeys (optional): when given, reading a node/relationship property
//     not listed is a warning (properties the query itself writes are exempt).
//   * parameters: only the names matter ("$x" not declared is an error); the
//     values are examples or type names and are never looked at (null counts
//     as declared).
//
// Response, JSON on stdout, one entry per query in request order:
//   [{"name": "...", "diagnostics": [{"severity": "error"|"warning"|"information"|"hint",
//     "message": "...", "line": 1, "column": 1, "endLine": 1, "endColumn": 7}]}]
//   line and column are 1-based; column counts UTF-16 code units.
//
// Queries are analysed as Neo4j 5 Cypher ("CYPHER 5") unless they start with
// an explicit "CYPHER 25".  Console commands (":param ...") are errors: these
// queries are sent through drivers, not typed into a browser.
//
// Exit codes: 0 linted (diagnostics or not), 2 bad request, 3 the linter
// itself is broken (see selfCheck).

import { lintCypherQuery } from '@neo4j-cypher/language-support';

const CYPHER_VERSION = 'CYPHER 5';
const SEVERITIES = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function fail(code, message) {
  process.stderr.write(`cypher-lint: ${message}\n`);
  process.exit(code);
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function stringList(value, where) {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    fail(2, `${where} must be a list of strings`);
  }
  return value;
}

function parseRequest(text) {
  let request;
  try {
    request = JSON.parse(text);
  } catch (err) {
    fail(2, `request is not JSON: ${err.message}`);
  }
  if (request === null || typeof request !== 'object' || !Array.isArray(request.queries)) {
    fail(2, 'request must be an object with a "queries" list');
  }
  const schema = request.schema ?? {};
  const dbSchema = {
    labels: stringList(schema.labels, 'schema.labels'),
    relationshipTypes: stringList(schema.relationshipTypes, 'schema.relationshipTypes'),
    propertyKeys: stringList(schema.propertyKeys, 'schema.propertyKeys'),
    defaultLanguage: CYPHER_VERSION,
  };
  request.queries.forEach((q, i) => {
    if (q === null || typeof q !== 'object' || typeof q.query !== 'string') {
      fail(2, `queries[${i}] must be an object with a string "query"`);
    }
    const params = q.parameters ?? {};
    if (typeof params !== 'object' || Array.isArray(params)) {
      fail(2, `queries[${i}].parameters must be an object`);
    }
  });
  return { dbSchema, queries: request.queries };
}

function toDiagnostic(d) {
  return {
    severity: SEVERITIES[d.severity] ?? 'error',
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
  };
}

function lintOne(query, dbSchema) {
  const parameters = {};
  for (const [name, value] of Object.entries(query.parameters ?? {})) {
    // The library treats `undefined` as "not declared"; JSON has no undefined,
    // but be explicit so that a null example still declares the parameter.
    parameters[name] = value === undefined ? null : value;
  }
  try {
    const { diagnostics } = lintCypherQuery(
      query.query,
      { ...dbSchema, parameters },
      { consoleCommandsEnabled: false },
    );
    return diagnostics.map(toDiagnostic);
  } catch (err) {
    // Never let a crash look like a clean query.
    return [
      {
        severity: 'error',
        message: `cypher-lint crashed on this query: ${err?.stack ?? err}`,
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
      },
    ];
  }
}

// The library swallows any exception from Neo4j's semantic analysis and then
// reports nothing, so a broken install would pass every query.  Make sure the
// semantic part is alive before trusting it.
function selfCheck() {
  const { diagnostics } = lintCypherQuery('MATCH (n) RETURN undefinedVariable', {
    defaultLanguage: CYPHER_VERSION,
  });
  if (!diagnostics.some((d) => d.message.includes('undefinedVariable'))) {
    fail(3, "self-check failed: Neo4j's semantic analysis reported nothing for an undefined variable");
  }
}

const { dbSchema, queries } = parseRequest(await readStdin());
selfCheck();
const results = queries.map((q) => ({
  name: q.name ?? null,
  diagnostics: lintOne(q, dbSchema),
}));
process.stdout.write(JSON.stringify(results) + '\n');

#!/usr/bin/env node
// Editor grammar test for the Onus language.
//
// Loads editors/vscode/syntaxes/onus.tmLanguage.json with vscode-textmate and
// vscode-oniguruma (the engine VS Code itself uses), tokenizes every .onus file
// of the repository and fails (exit 1) when:
//   - a keyword occurrence lacks the scope of its role: reserved words (keyword.*,
//     `none` constant.language.none), provider/customer/shared as ownership heads,
//     party notes and declarations (keyword.*) or as parties in expressions
//     (constant.language.party), built-in functions in call position and
//     services/used_services in expressions (support.function.builtin), enforcement
//     levels after a rule name (keyword.other.enforcement), formats after
//     `resources` (support.type.format), property keys before a string
//     (keyword.other.property), `resource`/`expect` in tests (keyword.*);
//   - a character of a string or comment is not scoped string.* / comment.*;
//   - a date or number is not constant.numeric.*, `..` `->` and comparison
//     operators are not keyword.operator.*, a declared name (same line as its
//     keyword) is not entity.name.*;
//   - fewer than 3 .onus files were found;
//   - the grammar's keywords and docs/language.md drift apart: every reserved
//     word of the docs is in the grammar and scoped as a keyword on its own,
//     every word the grammar matches is a reserved word of the docs or one of
//     the contextual words the docs describe (provider/customer, enforcement
//     levels, resource formats, built-in functions, property keys, `resource`);
//   - the VS Code extension files are inconsistent (package.json paths, scope
//     name, JSON), or a snippet expanded with its defaults is scoped wrongly;
//   - the Vim syntax file misses a reserved word or names an unknown one, or
//     (when vim with +syntax is installed; skipped with a note otherwise) Vim
//     highlights an expected token of a .onus file with the wrong syntax group.
// It also checks itself: a grammar stripped of its scope names must fail.
//
// Run: cd editors/test && npm ci && node tokenize.js (or tests/scripts/editor_grammar.sh).
'use strict';

const fs = require('fs');
const path = require('path');

const REPO = path.resolve(__dirname, '..', '..');
const GRAMMAR_PATH = path.join(REPO, 'editors', 'vscode', 'syntaxes', 'onus.tmLanguage.json');
const DOCS_PATH = path.join(REPO, 'docs', 'language.md');
const VIM_SYNTAX_PATH = path.join(REPO, 'editors', 'vim', 'syntax', 'onus.vim');
const EXTENSION_DIR = path.join(REPO, 'editors', 'vscode');
const MIN_FILES = 3;

let vsctm;
let oniguruma;
try {
  vsctm = require('vscode-textmate');
  oniguruma = require('vscode-oniguruma');
} catch (err) {
  console.error(`editor grammar: cannot load vscode-textmate/vscode-oniguruma (${err.message}); run "npm ci" in editors/test`);
  process.exit(1);
}

const problems = [];
function problem(message) {
  problems.push(message);
}

// ------------------------------------------------------------------ the docs

/// The word lists docs/language.md defines. Every list must be found, so that a
/// change of wording in the docs shows up here instead of silently checking nothing.
function readDocs() {
  const text = fs.readFileSync(DOCS_PATH, 'utf8');
  const ticked = (s) => [...s.matchAll(/`([A-Za-z_]+)`/g)].map((m) => m[1]);
  const need = (what, re) => {
    const m = re.exec(text);
    if (!m) {
      problem(`docs/language.md: cannot find ${what} (pattern ${re})`);
      return '';
    }
    return m[1];
  };
  const reserved = need('the reserved word list', /Reserved words[^`]*`([^`]+)`/).split(/\s+/).filter(Boolean);
  const contextual = ticked(need('the contextual words', /The words ((?:`\w+`[\s,]*(?:and\s+)?)+)are\s+contextual/));
  // Operator words of `when` conditions that are not reserved (`matches`).
  const operators = ticked(need('the contextual operator words', /The word (`\w+`) is an operator only there/));
  const levels = ticked(need('the enforcement levels', /Enforcement levels:([\s\S]*?)\.\s/));
  const formats = ticked(need('the resource formats', /input format\s+\(([^)]*)\)/));
  // Built-in functions: rows of the expression table whose first cell is one
  // backticked call `f(...)` (team and resources are also reserved words), or
  // one backticked name that is not reserved (`services`, not `none`).
  const section = need('the Expressions section', /\n## Expressions\n([\s\S]*?)(?:\n## |$)/);
  const builtins = [];
  for (const line of section.split('\n')) {
    const m = /^\|\s*`([A-Za-z_]+)(\([^`]*\))?`\s*\|/.exec(line);
    if (m && (m[2] || !reserved.includes(m[1]))) builtins.push({ name: m[1], call: Boolean(m[2]) });
  }
  if (builtins.length === 0) problem('docs/language.md: no built-in functions found in the Expressions table');
  // Words shown only in examples: property keys and the test fixture keyword.
  const examples = {};
  for (const [word, re] of [
    ['source', /(^|\s|`)source\s+"/m],
    ['contact', /(^|\s|`)contact\s+"/m],
    ['resource', /(^|\s|`)resource\s+\w+\s+"/m],
  ]) {
    if (re.test(text)) examples[word] = true;
    else problem(`docs/language.md: the grammar scopes "${word}" but the docs show no ${word} statement`);
  }
  return { reserved, contextual, operators, levels, formats, builtins, examples: Object.keys(examples) };
}

// ------------------------------------------------------------------ the grammar

const onigLib = (() => {
  const wasmPath = require.resolve('vscode-oniguruma/release/onig.wasm');
  const wasm = fs.readFileSync(wasmPath);
  const bytes = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength);
  return oniguruma.loadWASM(bytes).then(() => ({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s) => new oniguruma.OnigString(s),
  }));
})();

/// Loads a grammar from its JSON text with a fresh registry.
async function loadGrammar(jsonText) {
  const registry = new vsctm.Registry({
    onigLib,
    loadGrammar: async (scopeName) =>
      scopeName === 'source.onus' ? vsctm.parseRawGrammar(jsonText, GRAMMAR_PATH) : null,
  });
  const grammar = await registry.loadGrammar('source.onus');
  if (!grammar) throw new Error('grammar source.onus did not load');
  return grammar;
}

/// Tokenizes lines; returns per line the tokens {startIndex, endIndex, scopes}.
function tokenizeLines(grammar, lines) {
  let state = vsctm.INITIAL;
  const out = [];
  for (const line of lines) {
    const result = grammar.tokenizeLine(line, state);
    out.push(result.tokens);
    state = result.ruleStack;
  }
  return out;
}

/// Words the grammar's regular expressions match literally: every group made
/// only of words and `|`, such as `\b(all|any)\b`.
function grammarWords(raw) {
  const words = new Set();
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const key of ['match', 'begin', 'end', 'while']) {
      if (typeof node[key] !== 'string') continue;
      for (const m of node[key].matchAll(/\((?:\?:|\?=|\?!)?([A-Za-z_]+(?:\|[A-Za-z_]+)*)\)/g)) {
        m[1].split('|').forEach((w) => words.add(w));
      }
    }
    Object.values(node).forEach(visit);
  };
  visit(raw);
  return words;
}

// ------------------------------------------------------------------ the oracle

/// A small independent lexer: one line at a time (strings never span lines).
const LEX = [
  ['comment', /#.*/y],
  ['string', /"(?:[^"\\]|\\.)*(?:"|\\?$)/y],
  ['date', /[0-9]{4}-[0-9]{2}-[0-9]{2}(?![A-Za-z0-9_])/y],
  ['number', /[0-9]+(?![A-Za-z_])/y],
  ['word', /[A-Za-z_][A-Za-z0-9_]*/y],
  ['op', /\.\.|->|==|!=|<=|>=|<|>|=/y],
  ['punct', /[{}():,;.]/y],
];

function lex(lines) {
  const tokens = [];
  lines.forEach((text, line) => {
    let col = 0;
    while (col < text.length) {
      if (/\s/.test(text[col])) {
        col++;
        continue;
      }
      let matched = false;
      for (const [kind, re] of LEX) {
        re.lastIndex = col;
        const m = re.exec(text);
        if (m && m[0].length > 0) {
          tokens.push({ kind, text: m[0], line, col });
          col += m[0].length;
          matched = true;
          break;
        }
      }
      if (!matched) {
        tokens.push({ kind: 'other', text: text[col], line, col });
        col++;
      }
    }
  });
  return tokens;
}

/// Decides, for each token of a file, which scope it must carry. Returns a
/// list of {token, want: [scope prefixes], role}.
function expectations(tokens, words) {
  const want = [];
  const expect = (token, role, ...prefixes) => want.push({ token, role, want: prefixes });
  const reserved = new Set(words.reserved);
  const levels = new Set(words.levels);
  const formats = new Set(words.formats);
  const callBuiltins = new Set(words.builtins.filter((b) => b.call).map((b) => b.name));
  const valueBuiltins = new Set(words.builtins.filter((b) => !b.call).map((b) => b.name));
  const parties = new Set(['provider', 'customer', 'shared']);
  const declares = {
    party: 'entity.name.type', layer: 'entity.name.type', area: 'entity.name.type',
    model: 'entity.name.type', service: 'entity.name.type', control: 'entity.name.type',
    organization: 'entity.name.type', team: 'entity.name.type', vendor: 'entity.name.type',
    package: 'entity.name.namespace', import: 'entity.name.namespace',
  };
  const dotted = new Set(['area', 'package', 'import']);

  const sig = tokens.filter((t) => t.kind !== 'comment');
  const modes = ['plain'];  // plain: declarations and bodies; expr: expressions; test: a test body
  let header = null;        // {kind: 'rule'|'test', name: bool, level: bool} between the keyword and `{`
  const named = new Set();  // indexes of tokens already given an expectation as a declared name

  const sameLine = (a, b) => a && b && a.line === b.line;
  const adjacent = (a, b) => sameLine(a, b) && a.col + a.text.length === b.col;
  const isWord = (t) => t && t.kind === 'word';
  const isPunct = (t, p) => t && t.kind === 'punct' && t.text === p;
  const nameAt = (i, scope, allowDots) => {
    if (!isWord(sig[i]) || reserved.has(sig[i].text)) return;
    for (;;) {
      expect(sig[i], 'declared name', scope);
      named.add(i);
      if (!allowDots || !isPunct(sig[i + 1], '.') || !adjacent(sig[i], sig[i + 1]) ||
          !isWord(sig[i + 2]) || !adjacent(sig[i + 1], sig[i + 2])) return;
      i += 2;
    }
  };

  for (let i = 0; i < sig.length; i++) {
    const t = sig[i];
    const prev = sig[i - 1];
    const next = sig[i + 1];
    const mode = modes[modes.length - 1];
    switch (t.kind) {
      case 'string': expect(t, 'string', 'string.'); continue;
      case 'date': expect(t, 'date', 'constant.numeric.date'); continue;
      case 'number': expect(t, 'number', 'constant.numeric'); continue;
      case 'op':
        if (t.text === '..') expect(t, 'range operator', 'keyword.operator.range');
        else if (t.text === '->') expect(t, 'mapping arrow', 'keyword.operator');
        else if (t.text !== '=') expect(t, 'comparison operator', 'keyword.operator.comparison');
        continue;
      case 'punct':
        if (t.text === '{') {
          if (header && modes.length === 1) {
            modes.push(header.kind === 'rule' ? 'expr' : 'test');
            header = null;
          } else {
            modes.push(mode === 'plain' ? 'plain' : 'expr');
          }
        } else if (t.text === '}' && modes.length > 1) {
          modes.pop();
        }
        continue;
      case 'word': break;
      default: continue;
    }

    const w = t.text;
    if (named.has(i)) continue;

    if (header && header.kind === 'rule' && modes.length === 1) {
      if (!header.name) {
        header.name = true;
        if (!reserved.has(w)) expect(t, 'rule name', 'entity.name.function');
        continue;
      }
      if (!header.level && levels.has(w)) {
        header.level = true;
        expect(t, 'enforcement level', 'keyword.other.enforcement');
        continue;
      }
    }

    if (mode === 'expr' || mode === 'test') {
      if (mode === 'test' && w === 'resource') {
        expect(t, 'test fixture keyword', 'keyword.');
        if (isWord(next) && sameLine(t, next)) {
          expect(next, 'fixture resource type', 'support.type');
          named.add(i + 1);
        }
      } else if (mode === 'test' && w === 'expect') {
        expect(t, 'reserved word', 'keyword.');
      } else if (parties.has(w)) {
        expect(t, 'party in an expression', 'constant.language.party');
      } else if (w === 'none') {
        expect(t, 'none', 'constant.language.none');
      } else if (callBuiltins.has(w) && isPunct(next, '(')) {
        expect(t, 'built-in function call', 'support.function.builtin');
      } else if (valueBuiltins.has(w)) {
        expect(t, 'built-in set', 'support.function.builtin');
      } else if (reserved.has(w)) {
        expect(t, 'reserved word', 'keyword.');
      }
      continue;
    }

    // Declarations and the bodies of layers, models, services, controls,
    // resources and organizations.
    if (declares[w] && isWord(next) && sameLine(t, next)) {
      nameAt(i + 1, declares[w], dotted.has(w));
    }
    if (w === 'provider' && modes.length === 1 && isWord(next) && sameLine(t, next) && !isPunct(sig[i + 2], '.')) {
      nameAt(i + 1, 'entity.name.type', false);
    }
    if (w === 'rule' && modes.length === 1) header = { kind: 'rule', name: false, level: false };
    if (w === 'test' && modes.length === 1) header = { kind: 'test' };

    if (w === 'none') expect(t, 'none', 'constant.language.none');
    else if (reserved.has(w)) expect(t, 'reserved word', 'keyword.');
    else if (w === 'provider' || w === 'customer') expect(t, 'contextual keyword', 'keyword.');
    else if (formats.has(w) && isWord(prev) && prev.text === 'resources' && sameLine(prev, t)) {
      expect(t, 'resource format', 'support.type.format');
    } else if ((w === 'source' || w === 'contact') && next && next.kind === 'string' && sameLine(t, next)) {
      expect(t, 'property key', 'keyword.other.property');
    }
  }
  // Comments are checked wherever they are.
  for (const t of tokens) if (t.kind === 'comment') expect(t, 'comment', 'comment.');
  return want;
}

/// The lines of a file as an editor shows them (no byte order mark, no CR).
function splitLines(text) {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/);
}

/// Checks expectations against an editor's scopes. scopesAt(line, col) gives
/// the scope names at a character (0-based); accepts(scopes, prefixes) says
/// whether they satisfy a wanted prefix. Returns [{line, col, role, message}].
function verify(wants, scopesAt, accepts) {
  const failures = [];
  for (const { token, role, want } of wants) {
    for (let c = token.col; c < token.col + token.text.length; c++) {
      const scopes = scopesAt(token.line, c);
      if (!accepts(scopes, want)) {
        const where = c === token.col ? '' : ` (at its character ${JSON.stringify(token.text[c - token.col])})`;
        failures.push({
          line: token.line + 1,
          col: c + 1,
          role,
          message: `${role} ${JSON.stringify(token.text)}${where} is scoped [${scopes.join(' ')}], wants ${want.join(' or ')}*`,
        });
        break;
      }
    }
  }
  return failures;
}

/// Checks one file's text with the TextMate grammar; returns {failures, checks}.
function checkText(grammar, text, words) {
  const lines = splitLines(text);
  const scoped = tokenizeLines(grammar, lines);
  const wants = expectations(lex(lines), words);
  const scopesAt = (line, c) => {
    const tm = scoped[line].find((x) => x.startIndex <= c && c < x.endIndex);
    return tm ? tm.scopes : [];
  };
  const failures = verify(wants, scopesAt, (scopes, want) => scopes.some((s) => want.some((p) => s.startsWith(p))));
  return { failures, checks: wants.length };
}

// ------------------------------------------------------------------ Vim

/// The Vim syntax groups that stand for a TextMate scope prefix, most specific first.
const VIM_GROUPS = [
  ['keyword.other.enforcement', ['onusLevel']],
  ['keyword.other.property', ['onusProperty']],
  ['keyword.operator', ['onusOperator']],
  ['keyword.', ['onusPackage', 'onusDeclaration', 'onusStatement', 'onusResources', 'onusKeyword',
    'onusConditional', 'onusOperatorWord', 'onusParty', 'onusFixture', 'onusExpect']],
  ['constant.language.none', ['onusNone']],
  ['constant.language.party', ['onusPartyValue']],
  ['constant.numeric.date', ['onusDate']],
  ['constant.numeric', ['onusNumber', 'onusDate']],
  ['support.function.builtin', ['onusBuiltin', 'onusBuiltinSet']],
  ['support.type.format', ['onusFormat']],
  ['support.type', ['onusFixtureType', 'onusResourceType']],
  ['entity.name.function', ['onusRuleName']],
  ['entity.name', ['onusDeclName', 'onusNamespace']],
  ['string.', ['onusString', 'onusEscape', 'onusBadEscape']],
  ['comment.', ['onusComment', 'onusTodo']],
];

function vimAccepts(groups, want) {
  return want.some((p) => {
    const entry = VIM_GROUPS.find(([prefix]) => p.startsWith(prefix));
    return entry && groups.some((g) => entry[1].includes(g));
  });
}

/// When vim (with +syntax) is installed: opens each file with editors/vim on the
/// runtimepath and checks the syntax group under every expected token.
/// Returns the number of files with failures, or null when skipped.
function checkVimHighlighting(files, words) {
  const { spawnSync } = require('child_process');
  const probe = spawnSync('vim', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    console.log('note: vim not found, the Vim highlighting was not checked (the Vim word lists were)');
    return null;
  }
  const os = require('os');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onus-vim-'));
  try {
    const list = path.join(tmp, 'files.txt');
    const out = path.join(tmp, 'groups.json');
    const script = path.join(tmp, 'dump.vim');
    fs.writeFileSync(list, files.join('\n') + '\n');
    fs.writeFileSync(script, [
      'set nocompatible nomore',
      `let &runtimepath = ${JSON.stringify(path.join(REPO, 'editors', 'vim'))} . ',' . &runtimepath`,
      'if !has("syntax") || !exists("*json_encode")',
      `  call writefile(['"unsupported"'], ${JSON.stringify(out)})`,
      '  qall!',
      'endif',
      'filetype plugin on',
      'syntax on',
      'let s:result = {}',
      `for s:file in readfile(${JSON.stringify(list)})`,
      '  execute "edit " . fnameescape(s:file)',
      '  let s:lines = [&filetype]',
      '  for s:l in range(1, line("$"))',
      '    let s:names = []',
      '    for s:c in range(1, col([s:l, "$"]) - 1)',
      '      call add(s:names, synIDattr(synID(s:l, s:c, 1), "name"))',
      '    endfor',
      '    call add(s:lines, s:names)',
      '  endfor',
      '  let s:result[s:file] = s:lines',
      '  bwipeout!',
      'endfor',
      `call writefile([json_encode(s:result)], ${JSON.stringify(out)})`,
      'qall!',
    ].join('\n') + '\n');
    const run = spawnSync('vim', ['-N', '-u', 'NONE', '-i', 'NONE', '-n', '-es', '-S', script],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300000 });
    if (!fs.existsSync(out)) {
      problem(`vim: the highlighting dump failed (status ${run.status}): ${(run.stderr || run.stdout || '').trim()}`);
      return null;
    }
    const result = JSON.parse(fs.readFileSync(out, 'utf8'));
    if (result === 'unsupported') {
      console.log('note: this vim has no +syntax or json_encode, the Vim highlighting was not checked');
      return null;
    }
    let failedFiles = 0;
    for (const file of files) {
      const rel = path.relative(REPO, file);
      const dump = result[file];
      if (!dump) {
        problem(`vim: no highlighting dump for ${rel}`);
        continue;
      }
      if (dump[0] !== 'onus') problem(`vim: ${rel} got filetype "${dump[0]}", not onus (ftdetect/onus.vim)`);
      const lines = splitLines(fs.readFileSync(file, 'utf8'));
      const wants = expectations(lex(lines), words);
      // Vim columns count bytes; JavaScript strings count UTF-16 units.
      const scopesAt = (line, c) => {
        const byte = Buffer.byteLength(lines[line].slice(0, c), 'utf8');
        const names = dump[line + 1] || [];
        return names[byte] ? [names[byte]] : [];
      };
      const failures = verify(wants, scopesAt, vimAccepts);
      for (const f of failures) console.log(`${rel}:${f.line}:${f.col}: vim: ${f.message.replace(' is scoped ', ' has syntax group ')}`);
      if (failures.length) failedFiles++;
    }
    console.log(`vim: ${files.length} files highlighted, ${failedFiles} with wrong syntax groups`);
    return failedFiles;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ files

function findOnusFiles(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name.startsWith('build') || entry.name.startsWith('.')) continue;
      findOnusFiles(full, out);
    } else if (entry.isFile() && entry.name.endsWith('.onus')) {
      out.push(full);
    }
  }
  return out;
}

// ------------------------------------------------------------------ consistency checks

/// Grammar words against the docs, and each reserved word scoped on its own.
async function checkKeywordLists(grammar, raw, words) {
  const inGrammar = grammarWords(raw);
  const known = new Set([
    ...words.reserved, ...words.contextual, ...words.operators, ...words.levels, ...words.formats,
    ...words.builtins.map((b) => b.name), ...words.examples,
  ]);
  for (const w of words.reserved) {
    if (!inGrammar.has(w)) problem(`grammar: reserved word "${w}" of docs/language.md is missing from ${path.relative(REPO, GRAMMAR_PATH)}`);
  }
  for (const list of ['contextual', 'operators', 'levels', 'formats']) {
    for (const w of words[list]) {
      if (!inGrammar.has(w)) problem(`grammar: "${w}" (${list} in docs/language.md) is missing from the grammar`);
    }
  }
  for (const b of words.builtins) {
    if (!inGrammar.has(b.name)) problem(`grammar: built-in function "${b.name}" of docs/language.md is missing from the grammar`);
  }
  for (const w of inGrammar) {
    if (!known.has(w)) problem(`grammar: "${w}" is a keyword in the grammar but not a reserved or contextual word of docs/language.md`);
  }
  // Each reserved word alone on a line, at the top level.
  for (const w of words.reserved) {
    const [tokens] = tokenizeLines(grammar, [w]);
    const scopes = tokens[0].scopes;
    const wanted = w === 'none' ? 'constant.language.none' : 'keyword.';
    if (!scopes.some((s) => s.startsWith(wanted))) {
      problem(`grammar: reserved word "${w}" alone is scoped [${scopes.join(' ')}], wants ${wanted}*`);
    }
  }
  // Each built-in function, level and format in its place.
  const synthetic = [
    ...words.builtins.map((b) => [`rule r advisory "d" { count(${b.call ? `${b.name}(x)` : b.name}) > 0 }`, b.name, 'support.function.builtin']),
    ...words.levels.map((l) => [`rule r ${l} "d" { none }`, l, 'keyword.other.enforcement']),
    ...words.formats.map((f) => [`resources ${f} {}`, f, 'support.type.format']),
    ...words.contextual.map((p) => [`${p}: x`, p, 'keyword.']),
    ...words.contextual.map((p) => [`rule r advisory "d" { owner(x, y) == ${p} }`, p, 'constant.language.party']),
    ...words.operators.map((o) => [`service s : m { when size ${o} "*.metal*" { customer: host_os } }`, o, 'keyword.operator']),
    ...words.operators.map((o) => [`resources terraform { box -> s when size ${o} {"a*", "b*"} { size = size } }`, o, 'keyword.operator']),
  ];
  for (const [line, word, wanted] of synthetic) {
    const [tokens] = tokenizeLines(grammar, [line]);
    const col = line.lastIndexOf(word === 'count' ? 'count(x)' : word);
    const tm = tokens.find((x) => x.startIndex <= col && col < x.endIndex);
    if (!tm || !tm.scopes.some((s) => s.startsWith(wanted))) {
      problem(`grammar: "${word}" in \`${line}\` is scoped [${tm ? tm.scopes.join(' ') : ''}], wants ${wanted}*`);
    }
  }
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    problem(`${path.relative(REPO, file)}: ${err.message}`);
    return null;
  }
}

/// package.json contributions point at files that exist and agree with the grammar.
function checkExtension(raw) {
  const pkg = readJson(path.join(EXTENSION_DIR, 'package.json'));
  if (!pkg) return;
  const c = pkg.contributes || {};
  const lang = (c.languages || []).find((l) => l.id === 'onus');
  if (!lang) return problem('editors/vscode/package.json: no language "onus"');
  if (!(lang.extensions || []).includes('.onus')) problem('editors/vscode/package.json: language onus lacks extension .onus');
  const files = [lang.configuration];
  const gram = (c.grammars || []).find((g) => g.language === 'onus');
  if (!gram) problem('editors/vscode/package.json: no grammar for onus');
  else {
    if (gram.scopeName !== raw.scopeName) problem(`editors/vscode/package.json: scopeName ${gram.scopeName} != grammar ${raw.scopeName}`);
    if (path.resolve(EXTENSION_DIR, gram.path) !== GRAMMAR_PATH) problem(`editors/vscode/package.json: grammar path ${gram.path} is not the tested grammar`);
  }
  const snip = (c.snippets || []).find((s) => s.language === 'onus');
  if (!snip) problem('editors/vscode/package.json: no snippets for onus');
  else files.push(snip.path);
  for (const f of files) {
    if (!f || !fs.existsSync(path.resolve(EXTENSION_DIR, f))) problem(`editors/vscode/package.json: missing file ${f}`);
    else readJson(path.resolve(EXTENSION_DIR, f));
  }
  return snip ? readJson(path.resolve(EXTENSION_DIR, snip.path)) : null;
}

/// A snippet body with every placeholder at its default: `${1:x}` -> x,
/// `${1|a,b|}` -> a, a mirror `$1` -> the default of 1, `${CURRENT_YEAR}` -> a date part.
function expandSnippet(body) {
  const vars = { CURRENT_YEAR: '2027', CURRENT_MONTH: '03', CURRENT_DATE: '31' };
  const defaults = {};
  let text = (Array.isArray(body) ? body.join('\n') : body).replace(/\t/g, '  ');
  for (let guard = 0; guard < 20; guard++) {
    const before = text;
    text = text
      .replace(/\$\{(\d+):((?:[^$}\\]|\\.|\$\d+)*)\}/g, (m, n, d) => (defaults[n] = d))
      .replace(/\$\{(\d+)\|([^,|]*)[^|]*\|\}/g, (m, n, d) => (defaults[n] = d))
      .replace(/\$\{([A-Z_]+)\}/g, (m, v) => vars[v] || '');
    if (text === before) break;
  }
  text = text.replace(/\$\{(\d+)\}|\$(\d+)/g, (m, a, b) => defaults[a || b] || '');
  return text.replace(/\\([}$\\])/g, '$1');
}

/// Every snippet, expanded with its defaults, must tokenize with the right scopes.
function checkSnippets(grammar, snippets, words) {
  if (!snippets) return;
  for (const [name, snippet] of Object.entries(snippets)) {
    const text = expandSnippet(snippet.body);
    if (/\$\{|\$\d/.test(text)) problem(`snippet "${name}": placeholders left after expansion: ${text}`);
    const { failures } = checkText(grammar, text, words);
    for (const f of failures) problem(`snippet "${name}" line ${f.line}:${f.col}: ${f.message}`);
  }
}

const VIM_OPTIONS = new Set(['contained', 'skipwhite', 'skipnl', 'skipempty', 'transparent', 'display', 'fold', 'extend', 'conceal', 'oneline', 'keepend', 'excludenl']);

/// The Vim syntax file names every reserved word and no unknown word.
function checkVim(words) {
  if (!fs.existsSync(VIM_SYNTAX_PATH)) return problem('editors/vim/syntax/onus.vim is missing');
  const text = fs.readFileSync(VIM_SYNTAX_PATH, 'utf8');
  const vimWords = new Set();
  for (const line of text.split('\n')) {
    // `syntax keyword GROUP word... [options]`; the Todo group's words are not Onus words.
    const kw = /^\s*syn(?:tax)?\s+keyword\s+(\w+)\s+(.*)$/.exec(line);
    if (kw && !/Todo$/.test(kw[1])) {
      kw[2].split(/\s+/)
        .filter((w) => /^[A-Za-z_]+$/.test(w) && !VIM_OPTIONS.has(w))
        .forEach((w) => vimWords.add(w));
    }
    // Words in patterns: \(a\|b\), \%(a\|b\) and \<word\>.
    for (const m of line.matchAll(/\\%?\(((?:[A-Za-z_]+\\\|)*[A-Za-z_]+)\\\)/g)) {
      m[1].split('\\|').forEach((w) => vimWords.add(w));
    }
    for (const m of line.matchAll(/\\<([A-Za-z_]+)\\>/g)) vimWords.add(m[1]);
  }
  const known = new Set([
    ...words.reserved, ...words.contextual, ...words.operators, ...words.levels, ...words.formats,
    ...words.builtins.map((b) => b.name), ...words.examples,
  ]);
  for (const w of words.reserved) if (!vimWords.has(w)) problem(`editors/vim/syntax/onus.vim: reserved word "${w}" is missing`);
  for (const w of vimWords) if (!known.has(w)) problem(`editors/vim/syntax/onus.vim: "${w}" is not a reserved or contextual word of docs/language.md`);
}

/// The checker must catch a grammar that scopes nothing.
async function selfTest(raw, sampleText, words) {
  const stripped = JSON.parse(JSON.stringify(raw), (key, value) =>
    ['name', 'captures', 'beginCaptures', 'endCaptures'].includes(key) ? undefined : value);
  stripped.scopeName = raw.scopeName;
  const grammar = await loadGrammar(JSON.stringify(stripped));
  const { failures } = checkText(grammar, sampleText, words);
  const roles = new Set(failures.map((f) => f.role));
  for (const role of ['reserved word', 'string', 'comment', 'built-in function call', 'enforcement level', 'contextual keyword', 'party in an expression']) {
    if (!roles.has(role)) problem(`self-test: a grammar without scopes was not caught on a ${role}`);
  }
  console.log(`self-test: a grammar without scope names fails on ${failures.length} tokens of the sample`);
}

// ------------------------------------------------------------------ main

async function main() {
  const words = readDocs();
  const rawText = fs.readFileSync(GRAMMAR_PATH, 'utf8');
  let raw;
  try {
    raw = JSON.parse(rawText);
  } catch (err) {
    console.error(`editor grammar: ${path.relative(REPO, GRAMMAR_PATH)} is not valid JSON: ${err.message}`);
    return 1;
  }
  const grammar = await loadGrammar(rawText);

  await checkKeywordLists(grammar, raw, words);
  checkSnippets(grammar, checkExtension(raw), words);
  checkVim(words);

  const files = findOnusFiles(REPO);
  let checks = 0;
  let failed = 0;
  for (const file of files) {
    const rel = path.relative(REPO, file);
    const result = checkText(grammar, fs.readFileSync(file, 'utf8'), words);
    checks += result.checks;
    for (const f of result.failures) {
      console.log(`${rel}:${f.line}:${f.col}: ${f.message}`);
    }
    if (result.failures.length) failed++;
    console.log(`${result.failures.length ? 'FAIL' : 'ok  '} ${rel} (${result.checks} tokens checked, ${result.failures.length} wrong)`);
  }
  const vimFailed = checkVimHighlighting(files, words);
  if (vimFailed) problem(`vim: ${vimFailed} file(s) with wrong syntax groups (editors/vim/syntax/onus.vim)`);
  if (files.length < MIN_FILES) problem(`found ${files.length} .onus file(s) under ${REPO}, expected at least ${MIN_FILES}`);

  const sample = path.join(__dirname, 'samples', 'every_construct.onus');
  if (fs.existsSync(sample)) await selfTest(raw, fs.readFileSync(sample, 'utf8'), words);
  else problem('editors/test/samples/every_construct.onus is missing');

  for (const p of problems) console.log(`error: ${p}`);
  const ok = failed === 0 && problems.length === 0;
  console.log(`editor grammar: ${files.length} .onus files, ${checks} tokens checked, ` +
              `${failed} file(s) with wrong TextMate scopes, ${problems.length} other problem(s): ${ok ? 'PASS' : 'FAIL'}`);
  return ok ? 0 : 1;
}

if (require.main === module) {
  main().then((code) => process.exit(code), (err) => {
    console.error(`editor grammar: ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  });
}

module.exports = { readDocs, loadGrammar, checkText, expectations, lex, splitLines };

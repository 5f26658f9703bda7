// Python's json module, as far as a block's hash needs it: json.loads and json.dumps(value, sort_keys=True).
//
// JSON.parse is not enough: it turns 12345678901234567890 into 12345678901234567000 and 1.0 into 1,
// and Python writes 1.0 back as "1.0", so the hash of the block would change. So this reader keeps
// what Python keeps:
//   integers -> BigInt            floats -> PyJson.Float (a JS number, printed as Python's repr)
//   objects  -> Map (in order)    arrays -> Array, strings -> string, true/false/null as they are
"use strict";

const PyJson = (() => {
  /** A Python float: kept apart from integers, so that 1.0 stays 1.0. */
  class Float {
    constructor(value) { this.value = value; }
  }

  class JsonError extends Error {}

  const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;

  /** json.loads(text): NaN, Infinity and -Infinity are read, as Python reads them. */
  function loads(text) {
    let at = 0;
    const fail = (what) => { throw new JsonError(what + " at character " + at); };
    const skipSpace = () => {
      while (at < text.length) {
        const c = text.charCodeAt(at);
        if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) at++;
        else break;
      }
    };
    const word = (w) => {
      if (text.startsWith(w, at)) { at += w.length; return true; }
      return false;
    };
    function value(depth) {
      if (depth > 2000) fail("nested too deep");
      skipSpace();
      const c = text[at];
      if (c === "{") return object(depth);
      if (c === "[") return array(depth);
      if (c === '"') return string();
      if (word("true")) return true;
      if (word("false")) return false;
      if (word("null")) return null;
      if (word("NaN")) return new Float(NaN);
      if (word("Infinity")) return new Float(Infinity);
      if (word("-Infinity")) return new Float(-Infinity);
      NUMBER.lastIndex = at;
      const m = NUMBER.exec(text);
      if (!m) fail("expected a value");
      at = NUMBER.lastIndex;
      if (m[1] === undefined && m[2] === undefined) return BigInt(m[0]);
      return new Float(Number(m[0]));
    }
    function object(depth) {
      const map = new Map();
      at++;
      skipSpace();
      if (text[at] === "}") { at++; return map; }
      for (;;) {
        skipSpace();
        if (text[at] !== '"') fail("expected a key in double quotes");
        const key = string();
        skipSpace();
        if (text[at] !== ":") fail("expected ':'");
        at++;
        map.set(key, value(depth + 1)); // a repeated key keeps its first place and its last value, as in Python
        skipSpace();
        if (text[at] === ",") { at++; continue; }
        if (text[at] === "}") { at++; return map; }
        fail("expected ',' or '}'");
      }
    }
    function array(depth) {
      const list = [];
      at++;
      skipSpace();
      if (text[at] === "]") { at++; return list; }
      for (;;) {
        list.push(value(depth + 1));
        skipSpace();
        if (text[at] === ",") { at++; continue; }
        if (text[at] === "]") { at++; return list; }
        fail("expected ',' or ']'");
      }
    }
    function string() {
      at++;
      let out = "";
      let from = at;
      for (;;) {
        if (at >= text.length) fail("unterminated string");
        const c = text.charCodeAt(at);
        if (c === 0x22) { out += text.slice(from, at); at++; return out; }
        if (c < 0x20) fail("control character in a string");
        if (c !== 0x5c) { at++; continue; }
        out += text.slice(from, at);
        const e = text[at + 1];
        const simple = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" }[e];
        if (simple !== undefined) {
          out += simple;
          at += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) {
          out += String.fromCharCode(parseInt(text.slice(at + 2, at + 6), 16)); // surrogates pair up by themselves
          at += 6;
        } else {
          fail("invalid escape");
        }
        from = at;
      }
    }
    const result = value(0);
    skipSpace();
    if (at !== text.length) fail("extra data");
    return result;
  }

  /** Python's repr() of a float: the shortest digits that read back the same, in Python's layout. */
  function floatRepr(x) {
    if (Number.isNaN(x)) return "nan";
    if (x === Infinity) return "inf";
    if (x === -Infinity) return "-inf";
    if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
    const sign = x < 0 ? "-" : "";
    const [mantissa, exponent] = Math.abs(x).toExponential().split("e"); // shortest round-trip digits, as repr's
    const digits = mantissa.replace(".", "");
    const exp = Number(exponent);
    if (exp < -4 || exp >= 16) {
      const rest = digits.length > 1 ? "." + digits.slice(1) : "";
      const e = String(Math.abs(exp)).padStart(2, "0");
      return sign + digits[0] + rest + "e" + (exp < 0 ? "-" : "+") + e;
    }
    if (exp < 0) return sign + "0." + "0".repeat(-exp - 1) + digits;
    if (digits.length <= exp + 1) return sign + digits + "0".repeat(exp + 1 - digits.length) + ".0";
    return sign + digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
  }

  function floatJson(x) {
    if (Number.isNaN(x)) return "NaN";
    if (x === Infinity) return "Infinity";
    if (x === -Infinity) return "-Infinity";
    return floatRepr(x);
  }

  /** Python compares strings by code point; JS's < compares UTF-16 units, which differs above U+FFFF. */
  function compareKeys(a, b) {
    const x = Array.from(a);
    const y = Array.from(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d !== 0) return d;
    }
    return x.length - y.length;
  }

  function quote(s, ensureAscii) {
    let out = '"';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const ch = s[i];
      if (ch === '"') out += '\\"';
      else if (ch === "\\") out += "\\\\";
      else if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (ch === "\t") out += "\\t";
      else if (ch === "\b") out += "\\b";
      else if (ch === "\f") out += "\\f";
      else if (c < 0x20 || (ensureAscii && c > 0x7e)) out += "\\u" + c.toString(16).padStart(4, "0");
      else out += ch;
    }
    return out + '"';
  }

  /**
   * json.dumps(value, sort_keys=...): one line with ", " and ": " (ASCII only) by default; with
   * indent, the layout of json.dumps(value, indent=2, ensure_ascii=False).
   */
  function dumps(value, options = {}) {
    const sortKeys = options.sortKeys !== false;
    const indent = options.indent;
    const ensureAscii = indent === undefined;
    const write = (v, level) => {
      if (v === null) return "null";
      if (v === true) return "true";
      if (v === false) return "false";
      if (typeof v === "bigint") return v.toString();
      if (v instanceof Float) return floatJson(v.value);
      if (typeof v === "number") return Number.isInteger(v) ? String(v) : floatJson(v);
      if (typeof v === "string") return quote(v, ensureAscii);
      const inner = indent === undefined ? "" : "\n" + " ".repeat(indent * (level + 1));
      const outer = indent === undefined ? "" : "\n" + " ".repeat(indent * level);
      const comma = indent === undefined ? ", " : ",";
      if (Array.isArray(v)) {
        if (v.length === 0) return "[]";
        return "[" + inner + v.map((item) => write(item, level + 1)).join(comma + inner) + outer + "]";
      }
      if (v instanceof Map) {
        if (v.size === 0) return "{}";
        const keys = Array.from(v.keys());
        if (sortKeys) keys.sort(compareKeys);
        return "{" + inner + keys.map((k) => quote(k, ensureAscii) + ": " + write(v.get(k), level + 1)).join(comma + inner) + outer + "}";
      }
      throw new JsonError("cannot write " + typeof v + " as JSON");
    };
    return write(value, 0);
  }

  return { loads, dumps, floatRepr, Float, JsonError };
})();

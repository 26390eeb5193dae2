/**
 * JSON string literal exactly as Go's encoding/json writes it: `<`, `>`, `&`, U+2028 and U+2029
 * escaped as \uXXXX, control characters as \n \r \t \b \f or \u00XX, lone surrogates as U+FFFD.
 */
export function goJsonString(s: string): string {
  // Fast path: nothing to escape.
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x22: out += '\\"'; continue;
      case 0x5c: out += '\\\\'; continue;
      case 0x0a: out += '\\n'; continue;
      case 0x0d: out += '\\r'; continue;
      case 0x09: out += '\\t'; continue;
      case 0x08: out += '\\b'; continue;
      case 0x0c: out += '\\f'; continue;
      case 0x3c: out += '\\u003c'; continue;
      case 0x3e: out += '\\u003e'; continue;
      case 0x26: out += '\\u0026'; continue;
      case 0x2028: out += '\\u2028'; continue;
      case 0x2029: out += '\\u2029'; continue;
    }
    if (c < 0x20) {
      out += '\\u00' + (c < 0x10 ? '0' : '') + c.toString(16);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
      } else {
        out += '\ufffd';
      }
    } else {
      out += s[i];
    }
  }
  return out + '"';
}

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f<>&\u2028\u2029\ud800-\udfff]/;

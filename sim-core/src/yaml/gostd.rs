//! Small ports of Go standard-library behaviour that leaks into Kubernetes' user-visible
//! results: `strconv.Quote`, `strconv.FormatFloat`, `encoding/json`'s float encoder and
//! `encoding/base64`'s decoder. kubesim quotes the API server / kubectl verbatim, and their
//! messages and JSON are built from these.

use std::fmt::Write as _;

/// `strconv.Quote(s)` (go/src/strconv/quote.go): double-quoted, with Go escapes for
/// non-printable characters. Used by `unknown field %q` and `mapping key %#v` messages.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if go_is_print(c) => out.push(c),
            // Writing to a String cannot fail.
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// Approximation of Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols
/// and the ASCII space. std has no Unicode general categories, so we exclude controls, all
/// other whitespace, and the common format characters (category Cf) by hand.
fn go_is_print(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    !(c.is_control()
        || c.is_whitespace()
        || matches!(
            c,
            '\u{ad}'
                | '\u{600}'..='\u{605}'
                | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{e000}'..='\u{f8ff}'
        ))
}

/// Shortest round-trip digits of `f` (finite, compared by absolute value) as
/// (digits without leading zeros, decimal exponent of the first digit).
/// Rust's `{:e}` prints the shortest representation that round-trips, like Go's `-1` precision.
fn shortest_digits(formatted_e: &str) -> (String, i32) {
    let (mant, exp) = formatted_e.split_once('e').unwrap_or((formatted_e, "0"));
    let mant = mant.trim_start_matches('-');
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    (digits, exp.parse().unwrap_or(0))
}

/// Lays out `digits` (first digit at 10^`exp`) as a plain decimal, like Go's `%f` with the
/// shortest precision.
fn plain_decimal(digits: &str, exp: i32) -> String {
    let dp = i64::from(exp) + 1; // digits before the decimal point
    let n = i64::try_from(digits.len()).unwrap_or(i64::MAX);
    let zeros = |k: i64| "0".repeat(usize::try_from(k).unwrap_or(0));
    if digits == "0" {
        "0".to_string()
    } else if dp <= 0 {
        format!("0.{}{digits}", zeros(-dp))
    } else if dp >= n {
        format!("{digits}{}", zeros(dp - n))
    } else {
        let (a, b) = digits.split_at(usize::try_from(dp).unwrap_or(0));
        format!("{a}.{b}")
    }
}

/// Go's `%e`-style mantissa `d.ddd` from shortest digits.
fn e_mantissa(digits: &str) -> String {
    let mut m = String::new();
    let mut chars = digits.chars();
    if let Some(first) = chars.next() {
        m.push(first);
    }
    let rest: String = chars.collect();
    if !rest.is_empty() {
        m.push('.');
        m.push_str(&rest);
    }
    m
}

/// The text `encoding/json` writes for a float64 (go/src/encoding/json/encode.go
/// `floatEncoder`): `%f` unless the magnitude is < 1e-6 or >= 1e21, then `%e` with a
/// one-digit negative exponent cleaned up (`1e-07` -> `1e-7`). Non-finite values are a
/// marshalling error in Go; callers must check first (we return Go's `%v` text for them).
pub(crate) fn go_json_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    let abs = f.abs();
    let (digits, exp) = shortest_digits(&format!("{abs:e}"));
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let mant = e_mantissa(&digits);
        if exp < 0 {
            format!("{sign}{mant}e-{}", exp.unsigned_abs())
        } else {
            format!("{sign}{mant}e+{exp:02}")
        }
    } else {
        format!("{sign}{}", plain_decimal(&digits, exp))
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 32)`, which sigs.k8s.io/yaml (yaml.go
/// `convertToJSONableObject`) uses to turn float map keys into JSON object keys, including
/// its `.inf` / `-.inf` / `.nan` renaming.
pub(crate) fn go_float_key(f: f64) -> String {
    if f.is_nan() {
        return ".nan".to_string();
    }
    #[allow(clippy::cast_possible_truncation)] // bitSize 32: Go rounds to float32 first
    let f32v = f as f32;
    if f32v.is_infinite() {
        return if f32v > 0.0 { ".inf" } else { "-.inf" }.to_string();
    }
    let sign = if f32v.is_sign_negative() { "-" } else { "" };
    let (digits, exp) = shortest_digits(&format!("{:e}", f32v.abs()));
    // %g with shortest precision switches to %e when exp < -4 || exp >= 6
    // (go/src/strconv/ftoa.go: "if precision was the shortest possible, use precision 6").
    if f32v != 0.0 && !(-4..6).contains(&exp) {
        let mant = e_mantissa(&digits);
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{mant}e{esign}{:02}", exp.unsigned_abs())
    } else {
        format!("{sign}{}", plain_decimal(&digits, exp))
    }
}

/// `base64.StdEncoding.DecodeString` (go/src/encoding/base64/base64.go `decodeQuantum`):
/// padded standard alphabet, `\r`/`\n` skipped anywhere, non-strict trailing bits. The error is
/// Go's `CorruptInputError` offset, rendered by callers as `illegal base64 data at input byte N`.
/// Used for `!!binary` YAML scalars and for JSON strings decoded into Go `[]byte` fields
/// (e.g. `Secret.data`).
pub(crate) fn go_base64_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    fn sextet(c: u8) -> Option<u8> {
        match c {
            b'A'..=b'Z' => Some(c - b'A'),
            b'a'..=b'z' => Some(c - b'a' + 26),
            b'0'..=b'9' => Some(c - b'0' + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let is_nl = |c: u8| c == b'\n' || c == b'\r';
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0usize;
    while si < src.len() {
        let mut dbuf = [0u8; 4];
        let mut dlen = 4usize;
        let mut trailing_garbage = None;
        let mut j = 0usize;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                // StdEncoding has a pad character, so a short final quantum is corrupt.
                return Err(si - j);
            }
            let c = src[si];
            si += 1;
            if let Some(v) = sextet(c) {
                dbuf[j] = v;
                j += 1;
                continue;
            }
            if is_nl(c) {
                continue;
            }
            if c != b'=' || j < 2 {
                return Err(si - 1);
            }
            if j == 2 {
                // "==" is expected; the first '=' is consumed, skip newlines to the second.
                while si < src.len() && is_nl(src[si]) {
                    si += 1;
                }
                if si == src.len() {
                    return Err(src.len());
                }
                if src[si] != b'=' {
                    return Err(si - 1);
                }
                si += 1;
            }
            while si < src.len() && is_nl(src[si]) {
                si += 1;
            }
            if si < src.len() {
                trailing_garbage = Some(si);
            }
            dlen = j;
            break;
        }
        let val = (u32::from(dbuf[0]) << 18)
            | (u32::from(dbuf[1]) << 12)
            | (u32::from(dbuf[2]) << 6)
            | u32::from(dbuf[3]);
        let bytes = val.to_be_bytes();
        out.extend_from_slice(&bytes[1..dlen]);
        if let Some(at) = trailing_garbage {
            return Err(at);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_matches_strconv_quote() {
        assert_eq!(go_quote("imagee"), "\"imagee\"");
        assert_eq!(go_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(go_quote("tab\there\n"), "\"tab\\there\\n\"");
        assert_eq!(go_quote("\u{1}"), "\"\\x01\"");
        assert_eq!(go_quote("é日本"), "\"é日本\"");
        assert_eq!(go_quote("nb\u{a0}sp"), "\"nb\\u00a0sp\"");
    }

    #[test]
    fn json_float_matches_encoding_json() {
        assert_eq!(go_json_float(1.0), "1");
        assert_eq!(go_json_float(1.5), "1.5");
        assert_eq!(go_json_float(-0.25), "-0.25");
        assert_eq!(go_json_float(1000.0), "1000");
        assert_eq!(go_json_float(1e20), "100000000000000000000");
        assert_eq!(go_json_float(1e21), "1e+21");
        assert_eq!(go_json_float(1.5e300), "1.5e+300");
        assert_eq!(go_json_float(1e-6), "0.000001");
        assert_eq!(go_json_float(1e-7), "1e-7");
        assert_eq!(go_json_float(1.25e-10), "1.25e-10");
        assert_eq!(go_json_float(0.0), "0");
        assert_eq!(go_json_float(0.1), "0.1");
    }

    #[test]
    fn float_key_matches_format_float_g_32() {
        assert_eq!(go_float_key(1.5), "1.5");
        assert_eq!(go_float_key(0.1), "0.1");
        assert_eq!(go_float_key(100_000.0), "100000");
        assert_eq!(go_float_key(1e6), "1e+06");
        assert_eq!(go_float_key(1.0e-5), "1e-05");
        assert_eq!(go_float_key(0.0001), "0.0001");
        assert_eq!(go_float_key(3.0), "3");
        assert_eq!(go_float_key(f64::INFINITY), ".inf");
        assert_eq!(go_float_key(f64::NEG_INFINITY), "-.inf");
        assert_eq!(go_float_key(f64::NAN), ".nan");
    }

    #[test]
    fn base64_matches_go_std_encoding() {
        assert_eq!(go_base64_decode(b"aGVsbG8="), Ok(b"hello".to_vec()));
        assert_eq!(go_base64_decode(b"aGVs\nbG8="), Ok(b"hello".to_vec()));
        assert_eq!(go_base64_decode(b""), Ok(vec![]));
        assert_eq!(go_base64_decode(b"aGVsbG8"), Err(4));
        assert_eq!(go_base64_decode(b"hello world"), Err(5));
        assert_eq!(go_base64_decode(b"aGVsbG8=x"), Err(8));
        assert_eq!(go_base64_decode(b"a==="), Err(1));
        assert_eq!(go_base64_decode(b"YQ=="), Ok(b"a".to_vec()));
        assert_eq!(go_base64_decode(b"YQ="), Err(3));
    }
}

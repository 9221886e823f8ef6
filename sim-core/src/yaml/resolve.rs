//! YAML 1.1 implicit typing of plain scalars, ported from go-yaml v2 `resolve.go`
//! (vendored by sigs.k8s.io/yaml as goyaml.v2, now go.yaml.in/yaml/v2), which is what
//! kubectl and the API server use to turn manifests into JSON.
//!
//! The port keeps go-yaml's quirks on purpose: `yes`/`no`/`on`/`off`/`y`/`n` are booleans,
//! `0644` is octal, `08` is the float 8, and `_` is stripped from numbers anywhere.

/// Result of resolving one scalar. Richer than the public [`super::Resolved`] so the builder
/// can reproduce how sigs.k8s.io/yaml treats big integers (as JSON numbers, but unusable as
/// map keys).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Res {
    Null,
    Bool(bool),
    Int(i64),
    /// Fits `uint64` but not `int64` (go-yaml returns a `uint64`).
    Uint(u64),
    /// Does not fit 64 bits (go-yaml returns a `*big.Int`); carried as an f64 approximation.
    BigInt(f64),
    Float(f64),
    Str,
    /// Looks like a YAML timestamp; go-yaml v2 hands those back as the original string
    /// when decoding into `interface{}` ("for backward compatibility", decode.go).
    Timestamp,
}

/// `resolve("", in)` for a plain (unquoted, untagged) scalar.
pub(crate) fn resolve_plain(s: &str) -> Res {
    resolve_inner(s, Hinted::Plain)
}

/// Which tag drove resolution; go-yaml only attempts timestamps for untagged plain scalars
/// and `!!timestamp`.
#[derive(Clone, Copy, PartialEq)]
enum Hinted {
    Plain,
    Timestamp,
    Other,
}

/// `resolve(tag, in)` for an explicit core-schema tag such as `!!int`. `tag` is the suffix
/// after `tag:yaml.org,2002:`. Mirrors the deferred check in resolve.go: the value must
/// resolve to the tag's kind (ints are widened for `!!float`), otherwise go-yaml fails with
/// ``cannot decode !!str `abc` as a !!int``.
pub(crate) fn resolve_tagged(suffix: &str, s: &str) -> Result<Res, String> {
    let hint = match suffix {
        "timestamp" => Hinted::Timestamp,
        _ => Hinted::Other,
    };
    let r = resolve_inner(s, hint);
    match (suffix, r) {
        ("bool", Res::Bool(_))
        | ("null", Res::Null)
        | ("int", Res::Int(_) | Res::Uint(_) | Res::BigInt(_))
        | ("float", Res::Float(_))
        | ("timestamp", Res::Timestamp) => Ok(r),
        #[allow(clippy::cast_precision_loss)] // Go: float64(v)
        ("float", Res::Int(i)) => Ok(Res::Float(i as f64)),
        #[allow(clippy::cast_precision_loss)]
        ("float", Res::Uint(u)) => Ok(Res::Float(u as f64)),
        _ => Err(format!(
            "cannot decode !!{} `{}` as a !!{}",
            short_kind(r),
            s,
            suffix
        )),
    }
}

fn short_kind(r: Res) -> &'static str {
    match r {
        Res::Null => "null",
        Res::Bool(_) => "bool",
        Res::Int(_) | Res::Uint(_) | Res::BigInt(_) => "int",
        Res::Float(_) => "float",
        Res::Str => "str",
        Res::Timestamp => "timestamp",
    }
}

/// resolve.go `resolveMap`: exact spellings only (`TRUE` yes, `tRUE` no).
fn lookup_map(s: &str) -> Option<Res> {
    Some(match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Res::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Res::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => Res::Null,
        ".nan" | ".NaN" | ".NAN" => Res::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Res::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Res::Float(f64::NEG_INFINITY),
        _ => return None,
    })
}

fn resolve_inner(s: &str, hint_kind: Hinted) -> Res {
    // resolveTable: the first byte decides which parsers are even tried.
    let hint = match s.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => return Res::Str,
    };
    if let Some(r) = lookup_map(s) {
        return r;
    }
    match hint {
        b'.' => match go_parse_float(s) {
            Some(f) => Res::Float(f),
            None => Res::Str,
        },
        b'D' | b'S' => resolve_number(s, hint_kind),
        _ => Res::Str,
    }
}

fn resolve_number(s: &str, hint_kind: Hinted) -> Res {
    if matches!(hint_kind, Hinted::Plain | Hinted::Timestamp) && looks_like_timestamp(s) {
        return Res::Timestamp;
    }
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    match go_parse_int(&plain) {
        Ok(i) => return Res::Int(i),
        Err(_) => {
            if let Ok(u) = go_parse_uint(&plain) {
                return Res::Uint(u);
            }
        }
    }
    if yaml_style_float(&plain)
        && let Some(f) = go_parse_float(&plain)
    {
        return Res::Float(f);
    }
    // resolve.go retries `0b…`/`-0b…` with base 2; Go ≥1.13 ParseInt(base 0) already accepts
    // those prefixes, so that branch can only repeat the results above.
    //
    // Out-of-range integers (ParseUint said ErrRange) become *big.Int when math/big can parse
    // them with base 0 (it accepts the same prefixes, no sign restrictions beyond one '-').
    if matches!(go_parse_uint(&plain), Err(IntErr::Range))
        && let Some(f) = big_int_approx(&plain)
    {
        return Res::BigInt(f);
    }
    Res::Str
}

/// `yamlStyleFloat = ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// go-yaml's `parseTimestamp` quick check (4 digits then `-`) followed by a loose match of
/// its allowed layouts (`2006-1-2`, `2006-1-2T15:4:5.999999999Z07:00`, `2006-1-2 15:4:5…`).
/// Only the *kind* matters here: a timestamp decodes to its original string either way.
fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let mut parts = s[5..].splitn(2, ['T', 't', ' ']);
    let date = parts.next().unwrap_or("");
    let mut dp = date.split('-');
    let (Some(m), Some(d), None) = (dp.next(), dp.next(), dp.next()) else {
        return false;
    };
    let small = |x: &str| (1..=2).contains(&x.len()) && x.bytes().all(|c| c.is_ascii_digit());
    if !small(m) || !small(d) {
        return false;
    }
    match parts.next() {
        None => true,
        Some(time) => {
            let head: String = time
                .chars()
                .take_while(|c| *c != 'Z' && *c != '+')
                .collect();
            let head = head.split('-').next().unwrap_or("");
            let hms: Vec<&str> = head.split('.').next().unwrap_or("").split(':').collect();
            hms.len() == 3 && hms.iter().all(|p| small(p))
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IntErr {
    Syntax,
    Range,
}

/// `strconv.ParseInt(s, 0, 64)` (go/src/strconv/atoi.go).
pub(crate) fn go_parse_int(s: &str) -> Result<i64, IntErr> {
    if s.is_empty() {
        return Err(IntErr::Syntax);
    }
    let (neg, rest) = match s.as_bytes()[0] {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let un = go_parse_uint(rest)?;
    let cutoff = 1u64 << 63;
    if !neg && un >= cutoff {
        return Err(IntErr::Range);
    }
    if neg && un > cutoff {
        return Err(IntErr::Range);
    }
    if neg {
        // un <= 2^63, so this is exact (i64::MIN for un == 2^63).
        Ok(0i64.wrapping_sub_unsigned(un))
    } else {
        i64::try_from(un).map_err(|_| IntErr::Range)
    }
}

/// `strconv.ParseUint(s, 0, 64)`: base prefixes `0b`, `0o`, `0x`, and a bare leading `0`
/// meaning octal. Like Go, an overflow is reported as soon as it happens.
pub(crate) fn go_parse_uint(s: &str) -> Result<u64, IntErr> {
    let b = s.as_bytes();
    if b.is_empty() {
        return Err(IntErr::Syntax);
    }
    let (base, digits): (u64, &[u8]) = if b[0] == b'0' {
        match b.get(1).map(u8::to_ascii_lowercase) {
            Some(b'b') if b.len() >= 3 => (2, &b[2..]),
            Some(b'o') if b.len() >= 3 => (8, &b[2..]),
            Some(b'x') if b.len() >= 3 => (16, &b[2..]),
            _ => (8, &b[1..]),
        }
    } else {
        (10, b)
    };
    let mut n: u64 = 0;
    for &c in digits {
        let d = match c {
            b'0'..=b'9' => u64::from(c - b'0'),
            b'a'..=b'z' => u64::from(c - b'a') + 10,
            b'A'..=b'Z' => u64::from(c - b'A') + 10,
            _ => return Err(IntErr::Syntax),
        };
        if d >= base {
            return Err(IntErr::Syntax);
        }
        n = n
            .checked_mul(base)
            .and_then(|n| n.checked_add(d))
            .ok_or(IntErr::Range)?;
    }
    Ok(n)
}

/// `strconv.ParseFloat(s, 64)` restricted to decimal syntax (the only syntax that can reach
/// it from resolve.go: either `yamlStyleFloat` matched or `s` starts with `.`). Go rejects
/// `_` without a base prefix and reports overflow (±Inf) as an error.
fn go_parse_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let mut mantissa_digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        mantissa_digits += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            mantissa_digits += 1;
        }
    }
    if mantissa_digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    f.is_finite().then_some(f)
}

/// `new(big.Int).SetString(s, 0)` succeeded? Returns an f64 approximation of the value.
fn big_int_approx(s: &str) -> Option<f64> {
    let (neg, rest) = match s.as_bytes().first()? {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let b = rest.as_bytes();
    let (base, digits): (u32, &[u8]) = match (b.first(), b.get(1).map(u8::to_ascii_lowercase)) {
        (Some(b'0'), Some(b'b')) => (2, &b[2..]),
        (Some(b'0'), Some(b'o')) => (8, &b[2..]),
        (Some(b'0'), Some(b'x')) => (16, &b[2..]),
        (Some(b'0'), _) => (8, b),
        _ => (10, b),
    };
    if digits.is_empty() {
        return None;
    }
    let mut f = 0f64;
    for &c in digits {
        let d = char::from(c).to_digit(base)?;
        f = f * f64::from(base) + f64::from(d);
    }
    Some(if neg { -f } else { f })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_are_yaml_1_1() {
        for t in [
            "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE",
        ] {
            assert_eq!(resolve_plain(t), Res::Bool(true), "{t}");
        }
        for f in [
            "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE",
        ] {
            assert_eq!(resolve_plain(f), Res::Bool(false), "{f}");
        }
        for s in ["yES", "tRUE", "nO", "oN", "t", "f", "yess", "nil", "None"] {
            assert_eq!(resolve_plain(s), Res::Str, "{s}");
        }
    }

    #[test]
    fn nulls() {
        for n in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(resolve_plain(n), Res::Null, "{n:?}");
        }
        assert_eq!(resolve_plain("nULL"), Res::Str);
    }

    #[test]
    fn integers_follow_go_parse_int_base_0() {
        assert_eq!(resolve_plain("0644"), Res::Int(420));
        assert_eq!(resolve_plain("0x1F"), Res::Int(31));
        assert_eq!(resolve_plain("0X1f"), Res::Int(31));
        assert_eq!(resolve_plain("0o14"), Res::Int(12));
        assert_eq!(resolve_plain("0b101"), Res::Int(5));
        assert_eq!(resolve_plain("-0b101"), Res::Int(-5));
        assert_eq!(resolve_plain("+12"), Res::Int(12));
        assert_eq!(resolve_plain("-3"), Res::Int(-3));
        assert_eq!(resolve_plain("0"), Res::Int(0));
        assert_eq!(resolve_plain("1_000"), Res::Int(1000));
        assert_eq!(resolve_plain("-9223372036854775808"), Res::Int(i64::MIN));
        assert_eq!(
            resolve_plain("18446744073709551615"),
            Res::Uint(u64::MAX),
            "uint64 range"
        );
        assert!(matches!(
            resolve_plain("0x1FFFFFFFFFFFFFFFFF"),
            Res::BigInt(_)
        ));
    }

    #[test]
    fn floats() {
        assert_eq!(resolve_plain("1.5"), Res::Float(1.5));
        assert_eq!(resolve_plain("1e3"), Res::Float(1000.0));
        assert_eq!(resolve_plain(".5"), Res::Float(0.5));
        assert_eq!(resolve_plain("-.5"), Res::Float(-0.5));
        assert_eq!(resolve_plain("1."), Res::Float(1.0));
        assert_eq!(resolve_plain(".inf"), Res::Float(f64::INFINITY));
        assert_eq!(resolve_plain("-.Inf"), Res::Float(f64::NEG_INFINITY));
        assert_eq!(resolve_plain("+.INF"), Res::Float(f64::INFINITY));
        assert!(matches!(resolve_plain(".nan"), Res::Float(f) if f.is_nan()));
        // "08" is not valid octal, but yamlStyleFloat accepts it.
        assert_eq!(resolve_plain("08"), Res::Float(8.0));
        // Overflow is an error in strconv.ParseFloat, so it stays a string.
        assert_eq!(resolve_plain("1e400"), Res::Str);
        // Huge decimal integers overflow ParseUint but are valid yamlStyleFloats.
        assert_eq!(resolve_plain("99999999999999999999999"), Res::Float(1e23));
    }

    #[test]
    fn strings() {
        for s in [
            "nginx", "1.2.3", "25%", "500m", "1Gi", "0x", "0xZZ", ".", "-", "+", "1e", ".e5",
            "._5", "-.nan", "<<", "1:2", "0.5.1", "v1",
        ] {
            assert_eq!(resolve_plain(s), Res::Str, "{s}");
        }
        assert_eq!(resolve_plain("2001-12-14"), Res::Timestamp);
        assert_eq!(resolve_plain("2001-12-14T21:59:43.10Z"), Res::Timestamp);
        assert_eq!(resolve_plain("2001-12-14 21:59:43"), Res::Timestamp);
    }

    #[test]
    fn tagged() {
        assert_eq!(resolve_tagged("int", "12"), Ok(Res::Int(12)));
        assert_eq!(resolve_tagged("float", "12"), Ok(Res::Float(12.0)));
        assert_eq!(resolve_tagged("bool", "yes"), Ok(Res::Bool(true)));
        assert_eq!(
            resolve_tagged("int", "abc"),
            Err("cannot decode !!str `abc` as a !!int".to_string())
        );
        assert_eq!(
            resolve_tagged("bool", "1"),
            Err("cannot decode !!int `1` as a !!bool".to_string())
        );
    }
}

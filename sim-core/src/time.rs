//! Simulated time: instants ([`SimTime`]) and spans ([`SimDuration`]).
//!
//! Both are plain nanosecond counts. Their value domain is exactly the
//! non-negative range of Go's `time.Duration` (0 ..= 2^63-1 ns, about 292
//! years), so every value prints with Go's `Duration.String()` and parses back
//! with Go's `time.ParseDuration` unchanged; arithmetic saturates at
//! [`SimDuration::MAX`] / [`SimTime::MAX`] instead of overflowing.
//!
//! Everything here is integer arithmetic. Where Go itself uses `float64`
//! (the fraction step of `ParseDuration`, and `Duration.Hours()` inside
//! kubectl's `ShortHumanDuration`) the IEEE-754 operations are reproduced
//! bit-for-bit with integers (see [`GoFloat`]), so results match Go exactly
//! on every platform.

use std::fmt;
use std::ops::{Add, AddAssign, Div, Mul, Sub, SubAssign};
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

// golang/go src/time/time.go: Nanosecond .. Hour constants.
const NANOSECOND: u64 = 1;
const MICROSECOND: u64 = 1_000 * NANOSECOND;
const MILLISECOND: u64 = 1_000 * MICROSECOND;
const SECOND: u64 = 1_000 * MILLISECOND;
const MINUTE: u64 = 60 * SECOND;
const HOUR: u64 = 60 * MINUTE;

/// Largest representable span: golang/go src/time/time.go `maxDuration`
/// (1<<63 - 1 ns). Capping here keeps every value printable by
/// `Duration.String()` *and* parseable by `ParseDuration`.
const MAX_NANOS: u64 = i64::MAX as u64;

/// Clamp a nanosecond count into the representable range (`const`-usable).
const fn clamp_nanos(n: u64) -> u64 {
    if n > MAX_NANOS { MAX_NANOS } else { n }
}

/// An instant of simulated time: nanoseconds since the simulation epoch (t = 0).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(u64);

/// A non-negative span of simulated time, in nanoseconds.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimDuration(u64);

impl SimTime {
    /// The simulation epoch.
    pub const ZERO: SimTime = SimTime(0);
    /// The latest representable instant (epoch + 2^63-1 ns, Go's `maxDuration`).
    pub const MAX: SimTime = SimTime(MAX_NANOS);

    /// Instant `nanos` after the epoch, saturating at [`SimTime::MAX`].
    pub const fn from_nanos(nanos: u64) -> SimTime {
        SimTime(clamp_nanos(nanos))
    }

    /// Nanoseconds since the epoch.
    pub const fn as_nanos(self) -> u64 {
        self.0
    }

    /// Offset of this instant from the epoch.
    pub const fn since_epoch(self) -> SimDuration {
        SimDuration(self.0)
    }

    /// `self + d`, or `None` if that is later than [`SimTime::MAX`].
    pub const fn checked_add(self, d: SimDuration) -> Option<SimTime> {
        // Both operands are <= 2^63-1, so the u64 sum cannot wrap.
        let sum = self.0 + d.0;
        if sum > MAX_NANOS {
            None
        } else {
            Some(SimTime(sum))
        }
    }

    /// `self + d`, saturating at [`SimTime::MAX`].
    pub const fn saturating_add(self, d: SimDuration) -> SimTime {
        SimTime(clamp_nanos(self.0 + d.0))
    }

    /// Time elapsed from `earlier` to `self`; [`SimDuration::ZERO`] if
    /// `earlier` is actually later (simulated durations are never negative).
    pub const fn saturating_since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

impl SimDuration {
    /// The empty span.
    pub const ZERO: SimDuration = SimDuration(0);
    /// The longest span: 2^63-1 ns (`2562047h47m16.854775807s`), Go's `maxDuration`.
    pub const MAX: SimDuration = SimDuration(MAX_NANOS);

    /// `nanos` nanoseconds, saturating at [`SimDuration::MAX`].
    pub const fn from_nanos(nanos: u64) -> SimDuration {
        SimDuration(clamp_nanos(nanos))
    }
    /// `micros` microseconds, saturating at [`SimDuration::MAX`].
    pub const fn from_micros(micros: u64) -> SimDuration {
        SimDuration(clamp_nanos(micros.saturating_mul(MICROSECOND)))
    }
    /// `millis` milliseconds, saturating at [`SimDuration::MAX`].
    pub const fn from_millis(millis: u64) -> SimDuration {
        SimDuration(clamp_nanos(millis.saturating_mul(MILLISECOND)))
    }
    /// `secs` seconds, saturating at [`SimDuration::MAX`].
    pub const fn from_secs(secs: u64) -> SimDuration {
        SimDuration(clamp_nanos(secs.saturating_mul(SECOND)))
    }
    /// `mins` minutes, saturating at [`SimDuration::MAX`].
    pub const fn from_mins(mins: u64) -> SimDuration {
        SimDuration(clamp_nanos(mins.saturating_mul(MINUTE)))
    }
    /// `hours` hours, saturating at [`SimDuration::MAX`].
    pub const fn from_hours(hours: u64) -> SimDuration {
        SimDuration(clamp_nanos(hours.saturating_mul(HOUR)))
    }

    /// Whole nanoseconds.
    pub const fn as_nanos(self) -> u64 {
        self.0
    }
    /// Whole microseconds (truncating).
    pub const fn as_micros(self) -> u64 {
        self.0 / MICROSECOND
    }
    /// Whole milliseconds (truncating).
    pub const fn as_millis(self) -> u64 {
        self.0 / MILLISECOND
    }
    /// Whole seconds (truncating).
    pub const fn as_secs(self) -> u64 {
        self.0 / SECOND
    }
    /// Whether this is the empty span.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self + rhs`, or `None` above [`SimDuration::MAX`].
    pub const fn checked_add(self, rhs: SimDuration) -> Option<SimDuration> {
        let sum = self.0 + rhs.0; // both <= 2^63-1: cannot wrap
        if sum > MAX_NANOS {
            None
        } else {
            Some(SimDuration(sum))
        }
    }
    /// `self + rhs`, saturating at [`SimDuration::MAX`].
    pub const fn saturating_add(self, rhs: SimDuration) -> SimDuration {
        SimDuration(clamp_nanos(self.0 + rhs.0))
    }
    /// `self - rhs`, saturating at [`SimDuration::ZERO`].
    pub const fn saturating_sub(self, rhs: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_sub(rhs.0))
    }
    /// `self * rhs`, or `None` above [`SimDuration::MAX`].
    pub const fn checked_mul(self, rhs: u64) -> Option<SimDuration> {
        match self.0.checked_mul(rhs) {
            Some(n) if n <= MAX_NANOS => Some(SimDuration(n)),
            _ => None,
        }
    }
    /// `self * rhs`, saturating at [`SimDuration::MAX`].
    pub const fn saturating_mul(self, rhs: u64) -> SimDuration {
        SimDuration(clamp_nanos(self.0.saturating_mul(rhs)))
    }
    /// `self / rhs` (truncating), or `None` when `rhs == 0`.
    pub const fn checked_div(self, rhs: u64) -> Option<SimDuration> {
        match self.0.checked_div(rhs) {
            Some(n) => Some(SimDuration(n)),
            None => None,
        }
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    /// Saturates at [`SimTime::MAX`].
    fn add(self, rhs: SimDuration) -> SimTime {
        self.saturating_add(rhs)
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, rhs: SimDuration) {
        *self = self.saturating_add(rhs);
    }
}

impl Sub<SimTime> for SimTime {
    type Output = SimDuration;
    /// Saturates at [`SimDuration::ZERO`] when `rhs` is later than `self`.
    fn sub(self, rhs: SimTime) -> SimDuration {
        self.saturating_since(rhs)
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    /// Saturates at [`SimDuration::MAX`].
    fn add(self, rhs: SimDuration) -> SimDuration {
        self.saturating_add(rhs)
    }
}

impl AddAssign for SimDuration {
    fn add_assign(&mut self, rhs: SimDuration) {
        *self = self.saturating_add(rhs);
    }
}

impl Sub for SimDuration {
    type Output = SimDuration;
    /// Saturates at [`SimDuration::ZERO`].
    fn sub(self, rhs: SimDuration) -> SimDuration {
        self.saturating_sub(rhs)
    }
}

impl SubAssign for SimDuration {
    fn sub_assign(&mut self, rhs: SimDuration) {
        *self = self.saturating_sub(rhs);
    }
}

impl Mul<u64> for SimDuration {
    type Output = SimDuration;
    /// Saturates at [`SimDuration::MAX`].
    fn mul(self, rhs: u64) -> SimDuration {
        self.saturating_mul(rhs)
    }
}

impl Div<u64> for SimDuration {
    type Output = SimDuration;
    /// Truncating division. Dividing by zero never panics: it saturates to
    /// [`SimDuration::MAX`] (the limit of `d / x` as `x -> 0`), except that
    /// `ZERO / 0` is `ZERO`. Use [`SimDuration::checked_div`] to detect it.
    fn div(self, rhs: u64) -> SimDuration {
        match self.checked_div(rhs) {
            Some(d) => d,
            None if self.0 == 0 => SimDuration::ZERO,
            None => SimDuration::MAX,
        }
    }
}

// ---------------------------------------------------------------------------
// Display: Go's Duration.String()
// ---------------------------------------------------------------------------

/// Append the fraction `v / 10^prec` as ".ddd" with trailing zeros (and the
/// dot) omitted. golang/go src/time/time.go: fmtFrac.
fn push_frac(out: &mut String, v: u64, prec: u32) {
    if prec == 0 || v == 0 {
        return;
    }
    let mut digits = format!("{v:0width$}", width = prec as usize);
    while digits.ends_with('0') {
        digits.pop();
    }
    out.push('.');
    out.push_str(&digits);
}

/// golang/go src/time/time.go: `func (d Duration) String() string`, for the
/// non-negative range. Leading zero units are omitted; spans under a second
/// use ms/µs/ns so the leading digit is non-zero; zero is "0s"; hours are the
/// largest unit ("days can be different lengths").
fn go_duration_string(u: u64) -> String {
    let mut out = String::with_capacity(24);
    if u < SECOND {
        // Special case: smaller than a second, like "1.2ms".
        let (unit, prec, div) = match u {
            0 => return "0s".to_owned(),
            _ if u < MICROSECOND => ("ns", 0, 1),
            // U+00B5 'µ' micro sign, exactly as Go prints it.
            _ if u < MILLISECOND => ("µs", 3, MICROSECOND),
            _ => ("ms", 6, MILLISECOND),
        };
        out.push_str(&(u / div).to_string());
        push_frac(&mut out, u % div, prec);
        out.push_str(unit);
        return out;
    }
    let total_secs = u / SECOND;
    let total_mins = total_secs / 60;
    let hours = total_mins / 60;
    if hours > 0 {
        out.push_str(&hours.to_string());
        out.push('h');
    }
    if total_mins > 0 {
        out.push_str(&(total_mins % 60).to_string());
        out.push('m');
    }
    out.push_str(&(total_secs % 60).to_string());
    push_frac(&mut out, u % SECOND, 9);
    out.push('s');
    out
}

impl fmt::Display for SimDuration {
    /// Go's `Duration.String()`: `0s`, `1.5s`, `500ms`, `1µs`, `2h0m0s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&go_duration_string(self.0))
    }
}

impl fmt::Display for SimTime {
    /// The offset from the epoch as a Go duration, e.g. `1m30s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&go_duration_string(self.0))
    }
}

// ---------------------------------------------------------------------------
// Parsing: Go's time.ParseDuration
// ---------------------------------------------------------------------------

/// What went wrong in [`SimDuration::from_str`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DurationParseErrorKind {
    /// Not a duration at all (Go: `time: invalid duration "..."`).
    Invalid,
    /// A number without a unit (Go: `time: missing unit in duration "..."`).
    MissingUnit,
    /// A unit Go does not know, such as "d" (Go: `time: unknown unit ...`).
    UnknownUnit,
    /// Larger than 2^63-1 ns (Go reports this as `time: invalid duration`).
    Overflow,
    /// A negative span; Go accepts these, the simulator does not.
    Negative,
}

/// Error from parsing a Go-style duration string.
///
/// `Display` is Go's own message (so users recognise it) followed by a hint;
/// [`DurationParseError::go_message`] returns Go's message alone.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} (expected a duration like \"90s\", \"1m30s\" or \"500ms\")")]
pub struct DurationParseError {
    kind: DurationParseErrorKind,
    message: String,
}

impl DurationParseError {
    /// The hint appended to every message.
    pub const HINT: &'static str = "expected a duration like \"90s\", \"1m30s\" or \"500ms\"";

    /// Which rule the input broke.
    pub fn kind(&self) -> DurationParseErrorKind {
        self.kind
    }

    /// The message exactly as Go's `time.ParseDuration` words it, e.g.
    /// `time: unknown unit "d" in duration "2d"` (for
    /// [`DurationParseErrorKind::Negative`], which Go does not have, a
    /// message in the same style).
    pub fn go_message(&self) -> &str {
        &self.message
    }

    fn invalid(orig: &str) -> Self {
        Self::new(DurationParseErrorKind::Invalid, orig)
    }

    fn overflow(orig: &str) -> Self {
        Self::new(DurationParseErrorKind::Overflow, orig)
    }

    fn new(kind: DurationParseErrorKind, orig: &str) -> Self {
        let message = match kind {
            DurationParseErrorKind::MissingUnit => {
                format!(
                    "time: missing unit in duration {}",
                    go_quote(orig.as_bytes())
                )
            }
            DurationParseErrorKind::Negative => format!(
                "time: negative duration {} is not allowed (simulated durations are never negative)",
                go_quote(orig.as_bytes())
            ),
            _ => format!("time: invalid duration {}", go_quote(orig.as_bytes())),
        };
        DurationParseError { kind, message }
    }

    fn unknown_unit(unit: &[u8], orig: &str) -> Self {
        DurationParseError {
            kind: DurationParseErrorKind::UnknownUnit,
            message: format!(
                "time: unknown unit {} in duration {}",
                go_quote(unit),
                go_quote(orig.as_bytes())
            ),
        }
    }
}

/// golang/go src/time/format.go: `quote`. Non-ASCII and control characters
/// are written as `\xNN` per UTF-8 byte; `"` and `\` are backslash-escaped.
/// Working byte-wise is equivalent to Go's rune loop for valid UTF-8 (every
/// byte >= 0x80 belongs to a non-ASCII rune, all of whose bytes Go escapes).
fn go_quote(s: &[u8]) -> String {
    const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for &b in s {
        if !(b' '..0x80).contains(&b) {
            out.push_str("\\x");
            out.push(char::from(LOWER_HEX[usize::from(b >> 4)]));
            out.push(char::from(LOWER_HEX[usize::from(b & 0xF)]));
        } else {
            if b == b'"' || b == b'\\' {
                out.push('\\');
            }
            out.push(char::from(b));
        }
    }
    out.push('"');
    out
}

/// golang/go src/time/format.go: `leadingInt` — consumes `[0-9]*`; `None` on
/// overflow past 1<<63 (Go's exact bounds).
fn leading_int(s: &[u8]) -> Option<(u64, &[u8])> {
    const LIMIT: u64 = 1 << 63;
    let mut x: u64 = 0;
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        if x > LIMIT / 10 {
            return None; // overflow
        }
        x = x * 10 + u64::from(s[i] - b'0');
        if x > LIMIT {
            return None; // overflow
        }
        i += 1;
    }
    Some((x, &s[i..]))
}

/// golang/go src/time/format.go: `leadingFraction` — consumes `[0-9]*`
/// after the dot. It never fails: once another digit would overflow, it just
/// stops accumulating precision. `scale` is 10^(digits kept); Go keeps it in
/// a float64, but it never exceeds 10^19, which both fits a u64 and is exact
/// in binary64, so an integer is equivalent.
fn leading_fraction(s: &[u8]) -> (u64, u64, &[u8]) {
    let mut x: u64 = 0;
    let mut scale: u64 = 1;
    let mut overflow = false;
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        let c = s[i];
        i += 1;
        if overflow {
            continue;
        }
        if x > MAX_NANOS / 10 {
            // "It's possible for overflow to give a positive number, so take care."
            overflow = true;
            continue;
        }
        let y = x * 10 + u64::from(c - b'0');
        if y > 1 << 63 {
            overflow = true;
            continue;
        }
        x = y;
        scale *= 10;
    }
    (x, scale, &s[i..])
}

/// golang/go src/time/format.go: `unitMap`.
fn unit_nanos(u: &[u8]) -> Option<u64> {
    Some(match u {
        b"ns" => NANOSECOND,
        b"us" => MICROSECOND,
        b"\xc2\xb5s" => MICROSECOND, // "µs", U+00B5 = micro symbol
        b"\xce\xbcs" => MICROSECOND, // "μs", U+03BC = Greek letter mu
        b"ms" => MILLISECOND,
        b"s" => SECOND,
        b"m" => MINUTE,
        b"h" => HOUR,
        _ => return None,
    })
}

/// golang/go src/time/format.go: `ParseDuration`, statement for statement,
/// returning the magnitude and whether a leading '-' was present.
///
/// The one place Go uses floating point, `uint64(float64(f) *
/// (float64(unit) / scale))`, is reproduced with [`GoFloat`] so that e.g.
/// "0.3333333333333333333h" gives exactly 20m as in Go (exact rational
/// arithmetic would give 19m59.999999999s).
fn parse_go_duration(orig: &str) -> Result<(bool, u64), DurationParseError> {
    // [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+
    const LIMIT: u64 = 1 << 63;
    let mut s = orig.as_bytes();
    let mut d: u64 = 0;
    let mut neg = false;

    // Consume [-+]?
    if let Some(&c) = s.first()
        && (c == b'-' || c == b'+')
    {
        neg = c == b'-';
        s = &s[1..];
    }
    // Special case: if all that is left is "0", this is zero.
    if s == b"0" {
        return Ok((neg, 0));
    }
    if s.is_empty() {
        return Err(DurationParseError::invalid(orig));
    }
    while let Some(&first) = s.first() {
        // The next character must be [0-9.]
        if !(first == b'.' || first.is_ascii_digit()) {
            return Err(DurationParseError::invalid(orig));
        }
        // Consume [0-9]*
        let pl = s.len();
        let (mut v, rest) = leading_int(s).ok_or_else(|| DurationParseError::overflow(orig))?;
        s = rest;
        let pre = pl != s.len(); // whether we consumed anything before a period

        // Consume (\.[0-9]*)?
        let mut post = false;
        let (mut f, mut scale) = (0u64, 1u64);
        if s.first() == Some(&b'.') {
            s = &s[1..];
            let pl = s.len();
            let (fx, fscale, rest) = leading_fraction(s);
            (f, scale, s) = (fx, fscale, rest);
            post = pl != s.len();
        }
        if !pre && !post {
            // no digits (e.g. ".s" or "-.s")
            return Err(DurationParseError::invalid(orig));
        }

        // Consume unit.
        let i = s
            .iter()
            .position(|&c| c == b'.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        if i == 0 {
            return Err(DurationParseError::new(
                DurationParseErrorKind::MissingUnit,
                orig,
            ));
        }
        let (u, rest) = s.split_at(i);
        s = rest;
        let unit = unit_nanos(u).ok_or_else(|| DurationParseError::unknown_unit(u, orig))?;
        if v > LIMIT / unit {
            return Err(DurationParseError::overflow(orig));
        }
        v *= unit;
        if f > 0 {
            // Go: "float64 is needed to be nanosecond accurate for fractions
            // of hours": v += uint64(float64(f) * (float64(unit) / scale)).
            let frac = GoFloat::from_u64(f)
                .mul(GoFloat::from_u64(unit).div(GoFloat::from_u64(scale)))
                .trunc_to_u64();
            v += frac; // v <= 2^63 and frac <= ~3.6e12: no wrap
            if v > LIMIT {
                return Err(DurationParseError::overflow(orig));
            }
        }
        // Go adds in uint64 and can wrap here ("9223372036854775808ns" twice
        // parses as 0); a checked add reports it as the overflow it is.
        d = match d.checked_add(v) {
            Some(sum) if sum <= LIMIT => sum,
            _ => return Err(DurationParseError::overflow(orig)),
        };
    }
    if !neg && d > LIMIT - 1 {
        return Err(DurationParseError::overflow(orig));
    }
    Ok((neg, d))
}

impl FromStr for SimDuration {
    type Err = DurationParseError;

    /// Go's `time.ParseDuration` grammar and error texts: "300ms", "1.5h",
    /// "2h45m", ".5s", "0", with units ns, us, µs, μs, ms, s, m, h. Negative
    /// durations are rejected ("-0s" is zero and accepted, as in Go).
    fn from_str(s: &str) -> Result<SimDuration, DurationParseError> {
        match parse_go_duration(s)? {
            (true, n) if n != 0 => {
                Err(DurationParseError::new(DurationParseErrorKind::Negative, s))
            }
            (_, n) => Ok(SimDuration(n)),
        }
    }
}

// ---------------------------------------------------------------------------
// serde: Go duration strings
// ---------------------------------------------------------------------------

impl Serialize for SimDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Serialize for SimTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Accepts only strings; numbers fall through to serde's "invalid type"
/// error, which quotes `expecting` below.
struct DurationVisitor;

impl Visitor<'_> for DurationVisitor {
    type Value = SimDuration;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a duration string like \"90s\", \"1m30s\" or \"500ms\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<SimDuration, E> {
        v.parse().map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for SimDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(DurationVisitor)
    }
}

impl<'de> Deserialize<'de> for SimTime {
    /// The offset from the epoch, as a Go duration string.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let d = deserializer.deserialize_str(DurationVisitor)?;
        Ok(SimTime(d.0))
    }
}

// ---------------------------------------------------------------------------
// kubectl's AGE column: k8s.io/apimachinery/pkg/util/duration/duration.go
// ---------------------------------------------------------------------------

/// Clamp to Go's `time.Duration` (int64) range, which is all kubectl can
/// ever be handed (`Time.Sub` saturates the same way).
fn clamp_i64(nanos: i128) -> i64 {
    i64::try_from(nanos).unwrap_or(if nanos < 0 { i64::MIN } else { i64::MAX })
}

/// Port of `HumanDuration` (k8s.io/apimachinery/pkg/util/duration/duration.go):
/// a succinct, ~2-3 significant figure rendering used by kubectl's AGE
/// column, e.g. `0s`, `59s`, `119s`, `2m1s`, `10m`, `3h5m`, `8h`, `2d3h`,
/// `8d`, `2y3d`, `8y`. `nanos` is a signed Go `time.Duration` (values beyond
/// int64 saturate); anything below -1s is `<invalid>`.
///
/// Upstream only uses floating point in `int(d.Seconds())`, whose truncation
/// toward zero equals integer division for every value where the result
/// matters (|d| < 120s), so this port is integer-only and exact.
pub fn human_duration(nanos: i128) -> String {
    let d = clamp_i64(nanos);
    // Allow deviation no more than 2 seconds (excluded) to tolerate machine
    // time inconsistence; it can be considered as almost now.
    let seconds = d / SECOND as i64;
    if seconds < -1 {
        return "<invalid>".to_owned();
    } else if seconds < 0 {
        return "0s".to_owned();
    } else if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let d = d.unsigned_abs(); // d >= 120s here
    let minutes = d / MINUTE;
    if minutes < 10 {
        let s = (d / SECOND) % 60;
        if s == 0 {
            return format!("{minutes}m");
        }
        return format!("{minutes}m{s}s");
    } else if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = d / HOUR;
    if hours < 8 {
        let m = (d / MINUTE) % 60;
        if m == 0 {
            return format!("{hours}h");
        }
        format!("{hours}h{m}m")
    } else if hours < 48 {
        format!("{hours}h")
    } else if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{}d", hours / 24);
        }
        format!("{}d{}h", hours / 24, h)
    } else if hours < 24 * 365 * 2 {
        format!("{}d", hours / 24)
    } else if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        if dy == 0 {
            return format!("{}y", hours / 24 / 365);
        }
        format!("{}y{}d", hours / 24 / 365, dy)
    } else {
        format!("{}y", hours / 24 / 365)
    }
}

/// Port of `ShortHumanDuration` (k8s.io/apimachinery/pkg/util/duration/duration.go):
/// one unit only, truncated: `0s`, `59s`, `1m`, `59m`, `1h`, `23h`, `1d`,
/// `364d`, `1y`. Same input conventions as [`human_duration`].
///
/// Upstream computes `int(d.Hours())` and `int(d.Hours()/24/365)` in
/// float64. Within a nanosecond or so of a day/year boundary, and for spans
/// over ~100 days, that rounding differs from integer division (Go prints
/// 200d-1ns as "200d"), so those two are evaluated with [`GoFloat`], which
/// reproduces Go bit for bit. `int(d.Seconds())` and `int(d.Minutes())`
/// are only compared against small limits, where integer division agrees.
pub fn short_human_duration(nanos: i128) -> String {
    let d = clamp_i64(nanos);
    let seconds = d / SECOND as i64;
    if seconds < -1 {
        return "<invalid>".to_owned();
    } else if seconds < 0 {
        return "0s".to_owned();
    } else if seconds < 60 {
        return format!("{seconds}s");
    }
    let d = d.unsigned_abs(); // d >= 60s here
    let minutes = d / MINUTE;
    if minutes < 60 {
        return format!("{minutes}m");
    }
    // golang/go src/time/time.go: Duration.Hours():
    //   float64(d/Hour) + float64(d%Hour)/(60*60*1e9)
    let hours_f =
        GoFloat::from_u64(d / HOUR).add(GoFloat::from_u64(d % HOUR).div(GoFloat::from_u64(HOUR)));
    let hours = hours_f.trunc_to_u64();
    if hours < 24 {
        format!("{hours}h")
    } else if hours < 24 * 365 {
        format!("{}d", hours / 24)
    } else {
        let years = hours_f
            .div(GoFloat::from_u64(24))
            .div(GoFloat::from_u64(365))
            .trunc_to_u64();
        format!("{years}y")
    }
}

// ---------------------------------------------------------------------------
// Bit-exact emulation of the few IEEE-754 binary64 operations Go performs
// ---------------------------------------------------------------------------

/// A non-negative IEEE-754 binary64 value, `mant * 2^exp` with `mant` in
/// `[2^52, 2^53)` (or `mant == 0` for zero), computed with integers only.
///
/// Go's `ParseDuration` and `Duration.Hours()` round through float64; to
/// match Go exactly without using floating point in a deterministic
/// simulator, each operation here is performed exactly in u128 and then
/// rounded once to 53 significant bits with round-half-to-even, which is
/// precisely what IEEE-754 mandates for `+`, `*`, `/` and integer
/// conversion. Only the normal range is needed (all operands are integers
/// below 2^64 and quotients of them), so there are no subnormals,
/// infinities or NaNs to model.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct GoFloat {
    mant: u64,
    exp: i32,
}

impl GoFloat {
    const ZERO: GoFloat = GoFloat { mant: 0, exp: 0 };

    /// Round the exact value `m * 2^exp` (plus an extra amount strictly
    /// between 0 and one unit of `m`'s last bit when `sticky`) to nearest,
    /// ties to even.
    fn round(m: u128, exp: i32, sticky: bool) -> GoFloat {
        if m == 0 {
            return GoFloat::ZERO;
        }
        let bits = 128 - m.leading_zeros() as i32;
        if bits <= 53 {
            // Exact (callers never pass sticky with so few bits).
            let sh = 53 - bits;
            return GoFloat {
                mant: (m << sh) as u64,
                exp: exp - sh,
            };
        }
        let sh = bits - 53;
        let mut kept = m >> sh;
        let rem = m & ((1u128 << sh) - 1);
        let half = 1u128 << (sh - 1);
        let round_up = rem > half || (rem == half && (sticky || kept & 1 == 1));
        let mut exp = exp + sh;
        if round_up {
            kept += 1;
            if kept == 1u128 << 53 {
                kept >>= 1;
                exp += 1;
            }
        }
        GoFloat {
            mant: kept as u64,
            exp,
        }
    }

    /// Go's `float64(x)` for a uint64/int64.
    fn from_u64(x: u64) -> GoFloat {
        GoFloat::round(u128::from(x), 0, false)
    }

    fn mul(self, o: GoFloat) -> GoFloat {
        GoFloat::round(
            u128::from(self.mant) * u128::from(o.mant),
            self.exp + o.exp,
            false,
        )
    }

    /// `self / o`; `o` must be non-zero (all call sites divide by constants
    /// or by `scale >= 1`). Zero is returned for a zero divisor rather than
    /// panicking.
    fn div(self, o: GoFloat) -> GoFloat {
        if self.mant == 0 || o.mant == 0 {
            return GoFloat::ZERO;
        }
        // mant ratio is in (1/2, 2), so the quotient has 64 or 65 bits: more
        // than enough for correct rounding with the remainder as sticky bit.
        let num = u128::from(self.mant) << 64;
        let den = u128::from(o.mant);
        GoFloat::round(num / den, self.exp - o.exp - 64, num % den != 0)
    }

    fn add(self, o: GoFloat) -> GoFloat {
        if self.mant == 0 {
            return o;
        }
        if o.mant == 0 {
            return self;
        }
        let (hi, lo) = if self.exp >= o.exp {
            (self, o)
        } else {
            (o, self)
        };
        let gap = (hi.exp - lo.exp) as u32;
        // Put hi's mantissa 64 bits up so lo can be aligned below it; any of
        // lo's bits still falling off the bottom only matter as sticky.
        let base = u128::from(hi.mant) << 64;
        let (aligned, sticky) = if gap <= 64 {
            (u128::from(lo.mant) << (64 - gap), false)
        } else if gap - 64 >= 64 {
            (0, true)
        } else {
            let s = gap - 64;
            (u128::from(lo.mant >> s), lo.mant & ((1u64 << s) - 1) != 0)
        };
        GoFloat::round(base + aligned, hi.exp - 64, sticky)
    }

    /// Go's `uint64(x)` / `int(x)` for non-negative x: truncation toward
    /// zero. Out-of-range values (unreachable here) saturate.
    fn trunc_to_u64(self) -> u64 {
        if self.mant == 0 {
            0
        } else if self.exp >= 0 {
            if self.exp >= 11 {
                u64::MAX
            } else {
                self.mant << self.exp
            }
        } else if self.exp <= -64 {
            0
        } else {
            self.mant >> (-self.exp)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: u64 = NANOSECOND;
    const US: u64 = MICROSECOND;
    const MS: u64 = MILLISECOND;
    const S: u64 = SECOND;
    const M: u64 = MINUTE;
    const H: u64 = HOUR;

    fn dur(s: &str) -> Result<u64, DurationParseError> {
        s.parse::<SimDuration>().map(SimDuration::as_nanos)
    }

    // Ported from durationTests / TestDurationString in golang/go
    // src/time/time_test.go (non-negative rows), plus the examples from
    // the Duration.String doc comment.
    #[test]
    fn duration_string() {
        let table: &[(&str, u64)] = &[
            ("0s", 0),
            ("1ns", NS),
            ("1.1µs", 1100 * NS),
            ("2.2ms", 2200 * US),
            ("3.3s", 3300 * MS),
            ("4m5s", 4 * M + 5 * S),
            ("4m5.001s", 4 * M + 5001 * MS),
            ("5h6m7.001s", 5 * H + 6 * M + 7001 * MS),
            ("8m0.000000001s", 8 * M + NS),
            ("2562047h47m16.854775807s", (1 << 63) - 1),
            // kubesim examples
            ("1.5s", 1500 * MS),
            ("500ms", 500 * MS),
            ("1µs", US),
            ("2h0m0s", 2 * H),
            ("1h1m1.001s", H + M + S + MS),
            ("100ns", 100 * NS),
            ("1m30s", 90 * S),
            ("72h3m0.5s", 72 * H + 3 * M + 500 * MS),
            ("999ns", 999),
            ("999.999µs", 999_999),
            ("999.999999ms", 999_999_999),
            ("1s", S),
            ("59.999999999s", M - 1),
            ("1m0s", M),
            ("59m59.999999999s", H - 1),
            ("1h0m0s", H),
        ];
        for &(want, nanos) in table {
            assert_eq!(
                SimDuration::from_nanos(nanos).to_string(),
                want,
                "{nanos}ns"
            );
            assert_eq!(SimTime::from_nanos(nanos).to_string(), want, "{nanos}ns");
            // Every printed duration parses back to itself.
            assert_eq!(dur(want), Ok(nanos), "{want}");
        }
    }

    // Ported from parseDurationTests / TestParseDuration in golang/go
    // src/time/time_test.go (all rows whose result is non-negative).
    #[test]
    fn parse_duration() {
        let table: &[(&str, u64)] = &[
            // simple
            ("0", 0),
            ("5s", 5 * S),
            ("30s", 30 * S),
            ("1478s", 1478 * S),
            // sign
            ("+5s", 5 * S),
            ("-0", 0),
            ("+0", 0),
            // decimal
            ("5.0s", 5 * S),
            ("5.6s", 5 * S + 600 * MS),
            ("5.s", 5 * S),
            (".5s", 500 * MS),
            ("1.0s", S),
            ("1.00s", S),
            ("1.004s", S + 4 * MS),
            ("1.0040s", S + 4 * MS),
            ("100.00100s", 100 * S + MS),
            // different units
            ("10ns", 10 * NS),
            ("11us", 11 * US),
            ("12µs", 12 * US), // U+00B5
            ("12μs", 12 * US), // U+03BC
            ("13ms", 13 * MS),
            ("14s", 14 * S),
            ("15m", 15 * M),
            ("16h", 16 * H),
            // composite durations
            ("3h30m", 3 * H + 30 * M),
            ("10.5s4m", 4 * M + 10 * S + 500 * MS),
            (
                "1h2m3s4ms5us6ns",
                H + 2 * M + 3 * S + 4 * MS + 5 * US + 6 * NS,
            ),
            ("39h9m14.425s", 39 * H + 9 * M + 14 * S + 425 * MS),
            // large value
            ("52763797000ns", 52_763_797_000 * NS),
            // more than 9 digits after decimal point, see https://golang.org/issue/6617
            ("0.3333333333333333333h", 20 * M),
            // 9007199254740993 = 1<<53+1 cannot be stored precisely in a float64
            ("9007199254740993ns", ((1 << 53) + 1) * NS),
            // largest duration that can be represented by int64 in nanoseconds
            ("9223372036854775807ns", (1 << 63) - 1),
            ("9223372036854775.807us", (1 << 63) - 1),
            ("9223372036s854ms775us807ns", (1 << 63) - 1),
            // huge string; issue 15011.
            ("0.100000000000000000000h", 6 * M),
            // This value tests the first overflow check in leadingFraction.
            (
                "0.830103483285477580700h",
                49 * M + 48 * S + 372_539_827 * NS,
            ),
            // kubesim: the brief's examples and zero with a sign or unit
            ("1.5h", 90 * M),
            ("1m30.5s", 90 * S + 500 * MS),
            ("-0s", 0),
            ("0s", 0),
            ("0.0h", 0),
            ("2562047h47m16.854775807s", (1 << 63) - 1),
        ];
        for &(input, want) in table {
            assert_eq!(dur(input), Ok(want), "{input:?}");
        }
    }

    // Ported from parseDurationErrorTests / TestParseDurationErrors (and the
    // error rows of parseDurationTests) in golang/go src/time/time_test.go.
    // Rows with invalid UTF-8 ("\x85\x85", "\xffff") cannot be a Rust &str
    // and are omitted; "\uFFFD" rows follow current Go (escaped bytes).
    #[test]
    fn parse_duration_errors() {
        use DurationParseErrorKind::*;
        let table: &[(&str, DurationParseErrorKind, &str)] = &[
            // invalid
            ("", Invalid, r#"time: invalid duration """#),
            ("3", MissingUnit, r#"time: missing unit in duration "3""#),
            ("-", Invalid, r#"time: invalid duration "-""#),
            ("s", Invalid, r#"time: invalid duration "s""#),
            (".", Invalid, r#"time: invalid duration ".""#),
            ("-.", Invalid, r#"time: invalid duration "-.""#),
            (".s", Invalid, r#"time: invalid duration ".s""#),
            ("+.s", Invalid, r#"time: invalid duration "+.s""#),
            (
                "1d",
                UnknownUnit,
                r#"time: unknown unit "d" in duration "1d""#,
            ),
            (
                "\u{FFFD}",
                Invalid,
                r#"time: invalid duration "\xef\xbf\xbd""#,
            ),
            (
                "\u{FFFD} hello \u{FFFD} world",
                Invalid,
                r#"time: invalid duration "\xef\xbf\xbd hello \xef\xbf\xbd world""#,
            ),
            // overflow
            (
                "9223372036854775810ns",
                Overflow,
                r#"time: invalid duration "9223372036854775810ns""#,
            ),
            (
                "9223372036854775808ns",
                Overflow,
                r#"time: invalid duration "9223372036854775808ns""#,
            ),
            (
                "-9223372036854775809ns",
                Overflow,
                r#"time: invalid duration "-9223372036854775809ns""#,
            ),
            (
                "9223372036854776us",
                Overflow,
                r#"time: invalid duration "9223372036854776us""#,
            ),
            ("3000000h", Overflow, r#"time: invalid duration "3000000h""#),
            (
                "9223372036854775.808us",
                Overflow,
                r#"time: invalid duration "9223372036854775.808us""#,
            ),
            (
                "9223372036854ms775us808ns",
                Overflow,
                r#"time: invalid duration "9223372036854ms775us808ns""#,
            ),
            // kubesim: the brief's examples, Go's uint64 wrap, quoting
            ("abc", Invalid, r#"time: invalid duration "abc""#),
            ("10", MissingUnit, r#"time: missing unit in duration "10""#),
            (
                "2d",
                UnknownUnit,
                r#"time: unknown unit "d" in duration "2d""#,
            ),
            (
                "1µ",
                UnknownUnit,
                r#"time: unknown unit "\xc2\xb5" in duration "1\xc2\xb5""#,
            ),
            (
                "1h 30m",
                UnknownUnit,
                r#"time: unknown unit "h " in duration "1h 30m""#,
            ),
            (" 1s", Invalid, r#"time: invalid duration " 1s""#),
            (
                "1S",
                UnknownUnit,
                r#"time: unknown unit "S" in duration "1S""#,
            ),
            ("\"1s\"", Invalid, r#"time: invalid duration "\"1s\"""#),
            (
                "1s\t",
                UnknownUnit,
                r#"time: unknown unit "s\x09" in duration "1s\x09""#,
            ),
            ("--1s", Invalid, r#"time: invalid duration "--1s""#),
            (
                "9223372036854775808ns9223372036854775808ns",
                Overflow,
                r#"time: invalid duration "9223372036854775808ns9223372036854775808ns""#,
            ),
            (
                "99999999999999999999ns",
                Overflow,
                r#"time: invalid duration "99999999999999999999ns""#,
            ),
        ];
        for &(input, kind, go_message) in table {
            let err = dur(input).expect_err(input);
            assert_eq!(err.kind(), kind, "{input:?}");
            assert_eq!(err.go_message(), go_message, "{input:?}");
            assert_eq!(
                err.to_string(),
                format!("{go_message} ({})", DurationParseError::HINT),
                "{input:?}"
            );
        }
    }

    // Ported from the negative rows of parseDurationTests in golang/go
    // src/time/time_test.go: Go accepts them; simulated durations are never
    // negative, so here they must be rejected.
    #[test]
    fn parse_duration_rejects_negative() {
        for input in [
            "-5s",
            "-2m3.4s",
            "-9223372036854775807ns",
            "-9223372036854775808ns",
            "-9223372036854775.808us",
            "-9223372036s854ms775us808ns",
            "-2562047h47m16.854775808s",
            "-1ns",
        ] {
            let err = dur(input).expect_err(input);
            assert_eq!(err.kind(), DurationParseErrorKind::Negative, "{input:?}");
            assert_eq!(
                err.to_string(),
                format!(
                    "time: negative duration \"{input}\" is not allowed (simulated durations are never negative) ({})",
                    DurationParseError::HINT
                )
            );
        }
    }

    // Ported from TestParseDurationRoundTrip in golang/go src/time/time_test.go
    // (a fixed pseudo-random sequence instead of rand.Int31, and extended
    // to full nanosecond precision, which the integer formatter keeps).
    #[test]
    fn parse_duration_round_trip() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let nanos = match i % 4 {
                0 => (x >> 33) * MS, // Go's case: rand.Int31() * Millisecond
                1 => x >> 1,         // anywhere in range
                2 => x >> 30,        // around a few hours
                _ => x % (2 * S),    // sub-second units
            };
            let d = SimDuration::from_nanos(nanos);
            assert_eq!(d.to_string().parse::<SimDuration>(), Ok(d), "{nanos}");
        }
        assert_eq!(
            SimDuration::MAX.to_string().parse::<SimDuration>(),
            Ok(SimDuration::MAX)
        );
    }

    // kubesim's own table (no upstream counterpart): the fraction step
    // reproduces Go's float64 rounding in ParseDuration (golang/go
    // src/time/format.go), not exact arithmetic; expected values are what
    // Go returns.
    #[test]
    fn parse_duration_fraction_matches_go_float() {
        let table: &[(&str, u64)] = &[
            // exact arithmetic would give 1_199_999_999_999 (19m59.999999999s)
            ("0.3333333333333333333h", 20 * M),
            ("0.1h", 6 * M),
            ("0.5ns", 0),
            ("1.9ns", NS),
            ("0.000000001s", NS),
            ("0.0000000001s", 0),
            ("1.1us", 1100),
            ("2.999999999999s", 2 * S + 999_999_999),
            ("0.7h", 42 * M),
            ("1.23456789012345678901234567890s", S + 234_567_890),
        ];
        for &(input, want) in table {
            assert_eq!(dur(input), Ok(want), "{input:?}");
        }
    }

    // kubesim's own checks of the binary64 emulation (round-half-even,
    // sticky bits, saturation).
    #[test]
    fn go_float_rounding() {
        // 2^53 + 1 is the first integer binary64 cannot hold: ties to even.
        let f = GoFloat::from_u64((1 << 53) + 1);
        assert_eq!(f.trunc_to_u64(), 1 << 53);
        assert_eq!(
            GoFloat::from_u64((1 << 53) + 3).trunc_to_u64(),
            (1 << 53) + 4
        );
        assert_eq!(GoFloat::from_u64(u64::MAX).trunc_to_u64(), u64::MAX); // 2^64 saturates
        assert_eq!(
            GoFloat::from_u64(7)
                .div(GoFloat::from_u64(2))
                .trunc_to_u64(),
            3
        );
        assert_eq!(
            GoFloat::from_u64(3)
                .mul(GoFloat::from_u64(5))
                .trunc_to_u64(),
            15
        );
        assert_eq!(
            GoFloat::from_u64(1)
                .div(GoFloat::from_u64(3))
                .trunc_to_u64(),
            0
        );
        let third = GoFloat::from_u64(1).div(GoFloat::from_u64(3));
        // 1/3 + 1/3 + 1/3 == 1 in binary64
        assert_eq!(third.add(third).add(third), GoFloat::from_u64(1));
        // 17519 + 3599999999999/3.6e12 rounds up to exactly 17520.0
        let h =
            GoFloat::from_u64(17519).add(GoFloat::from_u64(HOUR - 1).div(GoFloat::from_u64(HOUR)));
        assert_eq!(h, GoFloat::from_u64(17520));
        assert_eq!(GoFloat::ZERO.add(third), third);
        assert_eq!(GoFloat::from_u64(5).div(GoFloat::ZERO), GoFloat::ZERO);
        // far-apart addends only contribute through the sticky bit
        let big = GoFloat::from_u64(1 << 62);
        assert_eq!(big.add(GoFloat::from_u64(1)), big);
    }

    // kubesim's own table: serde uses the Go duration text both ways.
    #[test]
    fn serde_strings() {
        let d: SimDuration = serde_json::from_str(r#""1m30s""#).expect("valid");
        assert_eq!(d, SimDuration::from_secs(90));
        assert_eq!(serde_json::to_string(&d).expect("ser"), r#""1m30s""#);
        assert_eq!(
            serde_json::to_string(&SimDuration::from_micros(1)).expect("ser"),
            "\"1µs\""
        );
        let t: SimTime = serde_json::from_str(r#""2h0m0s""#).expect("valid");
        assert_eq!(t, SimTime::from_nanos(2 * H));
        assert_eq!(serde_json::to_string(&t).expect("ser"), r#""2h0m0s""#);
        assert_eq!(
            serde_json::to_string(&SimTime::ZERO).expect("ser"),
            r#""0s""#
        );
        let max: SimTime =
            serde_json::from_str(&serde_json::to_string(&SimTime::MAX).expect("ser"))
                .expect("MAX round-trips");
        assert_eq!(max, SimTime::MAX);

        let table: &[(&str, &str)] = &[
            (
                "90",
                "invalid type: integer `90`, expected a duration string like \"90s\", \"1m30s\" or \"500ms\"",
            ),
            (
                "1.5",
                "invalid type: floating point `1.5`, expected a duration string like \"90s\", \"1m30s\" or \"500ms\"",
            ),
            (
                r#""2d""#,
                "time: unknown unit \"d\" in duration \"2d\" (expected a duration like \"90s\", \"1m30s\" or \"500ms\")",
            ),
            (
                r#""-1s""#,
                "time: negative duration \"-1s\" is not allowed (simulated durations are never negative) (expected a duration like \"90s\", \"1m30s\" or \"500ms\")",
            ),
        ];
        for &(json, want) in table {
            let err = serde_json::from_str::<SimDuration>(json).expect_err(json);
            assert!(err.to_string().starts_with(want), "{json}: {err}");
            let err = serde_json::from_str::<SimTime>(json).expect_err(json);
            assert!(err.to_string().starts_with(want), "{json}: {err}");
        }
    }

    // kubesim's own: saturating instant arithmetic.
    #[test]
    fn sim_time_arithmetic() {
        let t = SimTime::from_nanos(10);
        let d = SimDuration::from_nanos(5);
        assert_eq!(t + d, SimTime::from_nanos(15));
        assert_eq!(t.checked_add(d), Some(SimTime::from_nanos(15)));
        assert_eq!(SimTime::MAX.checked_add(SimDuration::from_nanos(1)), None);
        assert_eq!(
            SimTime::MAX.checked_add(SimDuration::ZERO),
            Some(SimTime::MAX)
        );
        assert_eq!(SimTime::MAX + SimDuration::MAX, SimTime::MAX);
        assert_eq!(SimTime::MAX.saturating_add(SimDuration::MAX), SimTime::MAX);
        assert_eq!(t - SimTime::from_nanos(4), SimDuration::from_nanos(6));
        assert_eq!(SimTime::from_nanos(4) - t, SimDuration::ZERO);
        assert_eq!(
            t.saturating_since(SimTime::from_nanos(11)),
            SimDuration::ZERO
        );
        assert_eq!(
            t.saturating_since(SimTime::ZERO),
            SimDuration::from_nanos(10)
        );
        assert_eq!(SimTime::from_nanos(u64::MAX), SimTime::MAX);
        assert_eq!(SimTime::MAX.as_nanos(), i64::MAX as u64);
        assert_eq!(t.since_epoch(), SimDuration::from_nanos(10));
        let mut u = t;
        u += d;
        assert_eq!(u, SimTime::from_nanos(15));
        assert!(SimTime::ZERO < t && t < SimTime::MAX);
        assert_eq!(SimTime::default(), SimTime::ZERO);
    }

    // kubesim's own table: constructors saturate at Go's maxDuration.
    #[test]
    fn sim_duration_arithmetic() {
        let table: &[(SimDuration, u64)] = &[
            (SimDuration::from_nanos(7), 7),
            (SimDuration::from_micros(7), 7_000),
            (SimDuration::from_millis(7), 7_000_000),
            (SimDuration::from_secs(7), 7 * S),
            (SimDuration::from_mins(7), 7 * M),
            (SimDuration::from_hours(7), 7 * H),
            (SimDuration::from_hours(u64::MAX), i64::MAX as u64),
            (SimDuration::from_secs(10_000_000_000), i64::MAX as u64),
            (SimDuration::from_nanos(u64::MAX), i64::MAX as u64),
        ];
        for &(d, nanos) in table {
            assert_eq!(d.as_nanos(), nanos);
        }
        let d = SimDuration::from_nanos(1_999_999_999);
        assert_eq!(
            (d.as_secs(), d.as_millis(), d.as_micros()),
            (1, 1999, 1_999_999)
        );
        assert_eq!(d + d, SimDuration::from_nanos(3_999_999_998));
        assert_eq!(SimDuration::MAX + d, SimDuration::MAX);
        assert_eq!(SimDuration::MAX.checked_add(d), None);
        assert_eq!(
            d.checked_add(d),
            Some(SimDuration::from_nanos(3_999_999_998))
        );
        assert_eq!(d - SimDuration::from_secs(5), SimDuration::ZERO);
        assert_eq!(
            SimDuration::from_secs(5) - d,
            SimDuration::from_nanos(3_000_000_001)
        );
        assert_eq!(d * 3, SimDuration::from_nanos(5_999_999_997));
        assert_eq!(d * u64::MAX, SimDuration::MAX);
        assert_eq!(
            d.checked_mul(3),
            Some(SimDuration::from_nanos(5_999_999_997))
        );
        assert_eq!(d.checked_mul(u64::MAX), None);
        assert_eq!(SimDuration::MAX.checked_mul(2), None);
        assert_eq!(SimDuration::MAX.checked_mul(1), Some(SimDuration::MAX));
        assert_eq!(SimDuration::MAX.saturating_mul(2), SimDuration::MAX);
        assert_eq!(d / 2, SimDuration::from_nanos(999_999_999));
        assert_eq!(d / 0, SimDuration::MAX);
        assert_eq!(SimDuration::ZERO / 0, SimDuration::ZERO);
        assert_eq!(d.checked_div(0), None);
        let mut e = d;
        e += d;
        e -= SimDuration::from_nanos(1);
        assert_eq!(e, SimDuration::from_nanos(3_999_999_997));
        assert!(SimDuration::ZERO.is_zero() && !d.is_zero());
        assert_eq!(SimDuration::default(), SimDuration::ZERO);
    }

    const NSI: i128 = 1;
    const MSI: i128 = 1_000_000;
    const SI: i128 = 1_000_000_000;
    const MI: i128 = 60 * SI;
    const HI: i128 = 60 * MI;
    const DAY: i128 = 24 * HI;
    const YEAR: i128 = 365 * DAY;

    // Ported from TestHumanDuration in
    // k8s.io/apimachinery/pkg/util/duration/duration_test.go
    #[test]
    fn human_duration_table() {
        let table: &[(i128, &str)] = &[
            (SI, "1s"),
            (70 * SI, "70s"),
            (190 * SI, "3m10s"),
            (70 * MI, "70m"),
            (47 * HI, "47h"),
            (49 * HI, "2d1h"),
            ((8 * 24 + 2) * HI, "8d"),
            ((367 * 24) * HI, "367d"),
            ((365 * 2 * 24 + 25) * HI, "2y1d"),
            ((365 * 8 * 24 + 2) * HI, "8y"),
        ];
        for &(d, want) in table {
            assert_eq!(human_duration(d), want, "{d}");
        }
    }

    // Ported from TestHumanDurationBoundaries in
    // k8s.io/apimachinery/pkg/util/duration/duration_test.go, plus the
    // brief's AGE examples.
    #[test]
    fn human_duration_boundaries() {
        let table: &[(i128, &str)] = &[
            (-2 * SI, "<invalid>"),
            (-2 * SI + 1, "0s"),
            (0, "0s"),
            (SI - MSI, "0s"),
            (2 * MI - MSI, "119s"),
            (2 * MI, "2m"),
            (2 * MI + SI, "2m1s"),
            (10 * MI - MSI, "9m59s"),
            (10 * MI, "10m"),
            (10 * MI + SI, "10m"),
            (3 * HI - MSI, "179m"),
            (3 * HI, "3h"),
            (3 * HI + MI, "3h1m"),
            (8 * HI - MSI, "7h59m"),
            (8 * HI, "8h"),
            (8 * HI + 59 * MI, "8h"),
            (2 * DAY - MSI, "47h"),
            (2 * DAY, "2d"),
            (2 * DAY + HI, "2d1h"),
            (8 * DAY - MSI, "7d23h"),
            (8 * DAY, "8d"),
            (8 * DAY + 23 * HI, "8d"),
            (2 * YEAR - MSI, "729d"),
            (2 * YEAR, "2y"),
            (2 * YEAR + 23 * HI, "2y"),
            (2 * YEAR + 23 * HI + 59 * MI, "2y"),
            (2 * YEAR + DAY - MSI, "2y"),
            (2 * YEAR + DAY, "2y1d"),
            (3 * YEAR, "3y"),
            (4 * YEAR, "4y"),
            (5 * YEAR, "5y"),
            (6 * YEAR, "6y"),
            (7 * YEAR, "7y"),
            (8 * YEAR - MSI, "7y364d"),
            (8 * YEAR, "8y"),
            (8 * YEAR + 364 * DAY, "8y"),
            (9 * YEAR, "9y"),
            // kubesim: the brief's examples and range edges
            (59 * SI, "59s"),
            (3 * MI + 50 * SI, "3m50s"),
            (3 * HI + 5 * MI, "3h5m"),
            (2 * DAY + 3 * HI, "2d3h"),
            (2 * YEAR + 3 * DAY, "2y3d"),
            (-SI, "0s"),
            (i128::MIN, "<invalid>"),
            (i128::MAX, "292y"),
            (i64::MAX as i128, "292y"),
        ];
        for &(d, want) in table {
            assert_eq!(human_duration(d), want, "{d}");
        }
    }

    // Ported from TestShortHumanDurationBoundaries in
    // k8s.io/apimachinery/pkg/util/duration/duration_test.go
    #[test]
    fn short_human_duration_boundaries() {
        let table: &[(i128, &str)] = &[
            (-2 * SI, "<invalid>"),
            (-2 * SI + 1, "0s"),
            (0, "0s"),
            (SI - MSI, "0s"),
            (SI, "1s"),
            (2 * SI - MSI, "1s"),
            (MI - MSI, "59s"),
            (MI, "1m"),
            (2 * MI - MSI, "1m"),
            (HI - MSI, "59m"),
            (HI, "1h"),
            (2 * HI - MSI, "1h"),
            (DAY - MSI, "23h"),
            (DAY, "1d"),
            (2 * DAY - MSI, "1d"),
            (YEAR - MSI, "364d"),
            (YEAR, "1y"),
            (2 * YEAR - MSI, "1y"),
            (2 * YEAR, "2y"),
            // kubesim: Go's float64 Hours() rounds these up across the
            // boundary, so kubectl prints the larger unit.
            (DAY - NSI, "23h"),
            (200 * DAY - NSI, "200d"),
            (200 * DAY - 1000 * NSI, "199d"),
            (YEAR - NSI, "1y"),
            (2 * YEAR - NSI, "2y"),
            (i128::MAX, "292y"),
            (i128::MIN, "<invalid>"),
        ];
        for &(d, want) in table {
            assert_eq!(short_human_duration(d), want, "{d}");
        }
    }
}

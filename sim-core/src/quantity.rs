//! Kubernetes `resource.Quantity`, exact and integer-only.
//!
//! Port of k8s.io/apimachinery/pkg/api/resource/{quantity.go, suffix.go,
//! amount.go, math.go}. Upstream keeps a quantity either as an int64 scaled
//! by a power of ten or as an arbitrary-precision `inf.Dec`; but
//! `ParseQuantity` always rounds to a whole number of nano-units, and
//! addition and subtraction preserve that, so every quantity Kubernetes
//! can parse is an integer count of nano-units. This port stores exactly
//! that count in an `i128` (about ±1.7e29 whole units), together with the
//! [`QuantityFormat`] detected at parse time.
//!
//! Differences from upstream (all at the edges of the range):
//! - Values whose magnitude exceeds `i128::MAX` nano-units
//!   (170141183460469231731687303715.884105727) are rejected with
//!   [`QuantityError::OutOfRange`]; upstream's `inf.Dec` is unbounded.
//!   Arithmetic saturates at that bound (use the `checked_*` methods).
//! - `Display` always prints the canonical form. Upstream's `String()`
//!   returns the *input text* verbatim when a cheap check says it is
//!   already canonical, so upstream prints `+1` for "+1", `05` for "05"
//!   and `1E3` for "1E3", where this prints `1`, `5` and `1e3`.
//! - DecimalSI values of 10^21 and above print with an exponent (`1e21`)
//!   instead of upstream's suffix-less, value-corrupting `1`; BinarySI
//!   values of 2^70 and above print as a multiple of `Ei` (`1024Ei`).
//! - `value()`/`milli_value()` saturate at the i64 range instead of
//!   wrapping, and round away from zero for negative values too (upstream
//!   does so for its int64 representation, but its `inf.Dec` path can
//!   round `-1.5` to `0`).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Add, Neg, Sub};
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Nano-units per unit.
const NANO: i128 = 1_000_000_000;
/// Nano-units per milli-unit.
const NANOS_PER_MILLI: i128 = 1_000_000;
/// `NANO` as u128, for magnitudes.
const NANO_U: u128 = 1_000_000_000;
/// k8s.io/apimachinery/pkg/api/resource/math.go: `maxAllowed` (2^63-1),
/// the silent cap `ParseQuantity` applies to BinarySI quantities, in nanos.
const BINARY_SI_CAP: u128 = (i64::MAX as u128) * NANO_U;
/// Largest magnitude we store; symmetric so negation never overflows.
const MAX_MAGNITUDE: u128 = i128::MAX as u128;

/// How a quantity is written; remembered from parsing and reused when
/// printing. k8s.io/apimachinery/pkg/api/resource/quantity.go: `Format`.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum QuantityFormat {
    /// `12M` = 12 * 10^6 (suffixes n u m "" k M G T P E).
    #[default]
    DecimalSI,
    /// `12Mi` = 12 * 2^20 (suffixes Ki Mi Gi Ti Pi Ei).
    BinarySI,
    /// `12e6`.
    DecimalExponent,
}

impl fmt::Display for QuantityFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QuantityFormat::DecimalSI => "DecimalSI",
            QuantityFormat::BinarySI => "BinarySI",
            QuantityFormat::DecimalExponent => "DecimalExponent",
        })
    }
}

/// Why a string is not a quantity. The first three are upstream's
/// `ErrFormatWrong`, `ErrNumeric` and `ErrSuffix`, with the same texts
/// (k8s.io/apimachinery/pkg/api/resource/quantity.go).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum QuantityError {
    /// The text does not have the shape of a quantity.
    #[error(
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    )]
    FormatWrong,
    /// The number part has no digits where upstream needs some (e.g. ".e-10").
    #[error("unable to parse numeric part of quantity")]
    Numeric,
    /// The suffix is not one of n u m k M G T P E Ki Mi Gi Ti Pi Ei e<int> E<int>.
    #[error("unable to parse quantity's suffix")]
    Suffix,
    /// Well-formed, but too large for the exact i128 nano-unit representation.
    #[error(
        "quantity is out of the supported range: its magnitude must not exceed 170141183460469231731687303715.884105727"
    )]
    OutOfRange,
}

/// A Kubernetes resource quantity such as `250m`, `64Mi`, `1G` or `1e3`.
///
/// Equality, ordering and hashing compare the exact value only, so
/// `1 == 1000m` and `1Ki == 1024`; the format only affects printing.
#[derive(Clone, Debug)]
pub struct Quantity {
    /// Exact value * 10^9. Always within `-i128::MAX ..= i128::MAX`.
    nanos: i128,
    format: QuantityFormat,
}

/// The pieces of a quantity string, as upstream's `parseQuantityString`
/// splits them (all ASCII).
#[derive(Debug, PartialEq, Eq)]
struct Parts<'a> {
    positive: bool,
    /// Sign and number as written (upstream feeds it to `inf.Dec`).
    value: &'a [u8],
    /// Integer digits without leading zeros ("0" when there are none).
    num: &'a [u8],
    /// Digits after the '.', as written.
    denom: &'a [u8],
    suffix: &'a [u8],
}

/// k8s.io/apimachinery/pkg/api/resource/quantity.go: `parseQuantityString`,
/// a fast scanner for `^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$` that is
/// deliberately permissive (the suffix is checked later). Its quirks are
/// kept: "." and "-" scan as zero, and so does a bare suffix such as "Ki".
fn parse_quantity_string(s: &[u8]) -> Result<Parts<'_>, QuantityError> {
    let end = s.len();
    let mut positive = true;
    let mut pos = 0;

    // handle leading sign
    match s.first() {
        Some(b'-') => {
            positive = false;
            pos += 1;
        }
        Some(b'+') => pos += 1,
        _ => {}
    }

    // strip leading zeros
    while pos < end && s[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Ok(Parts {
            positive,
            value: b"0",
            num: b"0",
            denom: b"",
            suffix: b"",
        });
    }

    // extract the numerator
    let num_start = pos;
    while pos < end && s[pos].is_ascii_digit() {
        pos += 1;
    }
    let mut num = &s[num_start..pos];
    if pos >= end {
        return Ok(Parts {
            positive,
            value: s,
            num,
            denom: b"",
            suffix: b"",
        });
    }
    // if we stripped all numerator positions, always return 0
    if num.is_empty() {
        num = b"0";
    }

    // handle a denominator
    let mut denom: &[u8] = b"";
    if s[pos] == b'.' {
        pos += 1;
        let denom_start = pos;
        while pos < end && s[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &s[denom_start..pos];
        if pos >= end {
            return Ok(Parts {
                positive,
                value: s,
                num,
                denom,
                suffix: b"",
            });
        }
        // Upstream TODO: "we currently allow 1.G, but we may not want to".
    }
    let value = &s[..pos];

    // grab the elements of the suffix
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&s[pos]) {
        pos += 1;
    }
    if pos < end && (s[pos] == b'-' || s[pos] == b'+') {
        pos += 1;
    }
    while pos < end && s[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        // we encountered a non decimal in the Suffix loop, but the last
        // character was not a valid exponent
        return Err(QuantityError::FormatWrong);
    }
    Ok(Parts {
        positive,
        value,
        num,
        denom,
        suffix: &s[suffix_start..],
    })
}

/// Base of a suffix's multiplier.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Base {
    Ten,
    Two,
}

/// k8s.io/apimachinery/pkg/api/resource/suffix.go: `interpret` (the
/// `fastLookup` table, the decimal and binary suffix lists, then
/// `e<int>`/`E<int>`).
fn interpret(suffix: &[u8]) -> Option<(Base, i32, QuantityFormat)> {
    use QuantityFormat::*;
    let (base, exponent, format) = match suffix {
        b"" => (Base::Ten, 0, DecimalSI),
        b"n" => (Base::Ten, -9, DecimalSI),
        b"u" => (Base::Ten, -6, DecimalSI),
        b"m" => (Base::Ten, -3, DecimalSI),
        b"k" => (Base::Ten, 3, DecimalSI),
        b"M" => (Base::Ten, 6, DecimalSI),
        b"G" => (Base::Ten, 9, DecimalSI),
        b"T" => (Base::Ten, 12, DecimalSI),
        b"P" => (Base::Ten, 15, DecimalSI),
        b"E" => (Base::Ten, 18, DecimalSI),
        b"Ki" => (Base::Two, 10, BinarySI),
        b"Mi" => (Base::Two, 20, BinarySI),
        b"Gi" => (Base::Two, 30, BinarySI),
        b"Ti" => (Base::Two, 40, BinarySI),
        b"Pi" => (Base::Two, 50, BinarySI),
        b"Ei" => (Base::Two, 60, BinarySI),
        [b'e' | b'E', rest @ ..] if !rest.is_empty() => {
            // strconv.ParseInt(s, 10, 64): optional sign, decimal digits.
            let parsed: i64 = std::str::from_utf8(rest).ok()?.parse().ok()?;
            // Upstream stores int32(parsed); Go's conversion keeps the low
            // 32 bits, exactly like `as` (so "1e4294967296" means 1e0).
            (Base::Ten, parsed as i32, DecimalExponent)
        }
        _ => return None,
    };
    Some((base, exponent, format))
}

/// `ceil(digits * 10^shift)` for a big-endian digit string (values 0..=9),
/// rounding any non-zero remainder up. `None` if the result exceeds u128.
fn scaled_ceil(digits: &[u8], shift: i64) -> Option<u128> {
    let Some(first) = digits.iter().position(|&d| d != 0) else {
        return Some(0);
    };
    let digits = &digits[first..];
    let len = digits.len() as u64;
    let accumulate = |ds: &[u8]| -> Option<u128> {
        ds.iter().try_fold(0u128, |acc, &d| {
            acc.checked_mul(10)?.checked_add(u128::from(d))
        })
    };
    if shift >= 0 {
        let shift = shift.unsigned_abs();
        // u128::MAX has 39 digits; checking first avoids huge loops.
        if len.saturating_add(shift) > 39 {
            return None;
        }
        (0..shift).try_fold(accumulate(digits)?, |acc, _| acc.checked_mul(10))
    } else {
        let drop = shift.unsigned_abs();
        if drop >= len {
            // Only a non-zero fraction is left: it rounds up to 1.
            return Some(1);
        }
        let (int, frac) = digits.split_at((len - drop) as usize);
        let v = accumulate(int)?;
        if frac.iter().any(|&d| d != 0) {
            v.checked_add(1)
        } else {
            Some(v)
        }
    }
}

/// Multiply a big-endian digit string by `factor`.
fn mul_digits(digits: &mut Vec<u8>, factor: u64) {
    let mut carry: u128 = 0;
    for d in digits.iter_mut().rev() {
        let t = u128::from(*d) * u128::from(factor) + carry;
        *d = (t % 10) as u8;
        carry = t / 10;
    }
    let mut head = Vec::new();
    while carry > 0 {
        head.push((carry % 10) as u8);
        carry /= 10;
    }
    head.reverse();
    head.append(digits);
    *digits = head;
}

impl Quantity {
    /// Parse a quantity with exactly upstream `ParseQuantity` semantics
    /// (k8s.io/apimachinery/pkg/api/resource/quantity.go): optional `+`/`-`,
    /// a decimal number (`1`, `1.5`, `.5`, `1.`), then a suffix from
    /// n u m "" k M G T P E, Ki Mi Gi Ti Pi Ei, or an exponent `e3`/`E-3`.
    /// Whitespace is rejected. Values finer than 1n are rounded away from
    /// zero to the next nano-unit ("0.9n" is 1n); BinarySI values are
    /// silently capped at 2^63-1 ("9Ei"); a BinarySI value strictly between
    /// 0 and 1 becomes DecimalSI.
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        if s.is_empty() {
            return Err(QuantityError::FormatWrong);
        }
        if s == "0" {
            return Ok(Quantity::zero(QuantityFormat::DecimalSI));
        }
        let parts = parse_quantity_string(s.as_bytes())?;
        let (base, exponent, mut format) = interpret(parts.suffix).ok_or(QuantityError::Suffix)?;

        // Upstream computes "precision" to pick an int64 fast path; numbers
        // that miss it go through inf.Dec's SetString(value), which fails
        // when the number part has no digit at all (".", "", "-."). With no
        // digits, num is "0" and denom "": decimal formats miss the fast path
        // only when the scale is below nano; BinarySI misses it when
        // 15 - len(num) - exponent*3/10 - 1 < 0 (Pi, Ei). (exponent*3/10 is
        // computed in float32 upstream, but is exact for multiples of 10.)
        if !parts.value.iter().any(u8::is_ascii_digit) {
            let len_num = 1; // num is "0"
            let fast = match base {
                Base::Ten => exponent >= -9,
                Base::Two => {
                    let precision = 15 - len_num - exponent * 3 / 10 - 1;
                    precision >= 0
                }
            };
            if !fast {
                return Err(QuantityError::Numeric);
            }
        }

        // The exact value is sign * num.denom * base^exponent; both of
        // upstream's paths compute it exactly before rounding to nano.
        let mut digits: Vec<u8> = parts
            .num
            .iter()
            .chain(parts.denom)
            .map(|c| c - b'0')
            .collect();
        let denom_len = parts.denom.len() as i64;
        let shift = match base {
            Base::Ten => i64::from(exponent).saturating_sub(denom_len) + 9,
            Base::Two => {
                // exponent is one of 10, 20, ..., 60: 2^exponent fits a u64.
                mul_digits(&mut digits, 1u64 << exponent);
                9 - denom_len
            }
        };
        // "This rounds non-zero values up to the minimum representable
        // value ... if you want some resources, you should get some
        // resources" (inf.RoundUp: away from zero, applied to |value|).
        let mut magnitude = scaled_ceil(&digits, shift);
        if format == QuantityFormat::BinarySI {
            // "The max is just a simple cap."
            magnitude = Some(magnitude.map_or(BINARY_SI_CAP, |m| m.min(BINARY_SI_CAP)));
        }
        let magnitude = magnitude
            .filter(|&m| m <= MAX_MAGNITUDE)
            .ok_or(QuantityError::OutOfRange)?;
        if format == QuantityFormat::BinarySI && magnitude > 0 && magnitude < NANO_U {
            // "This avoids rounding and hopefully confusion, too."
            format = QuantityFormat::DecimalSI;
        }
        let magnitude = magnitude as i128; // <= i128::MAX, checked above
        let nanos = if parts.positive {
            magnitude
        } else {
            -magnitude
        };
        Ok(Quantity { nanos, format })
    }

    fn zero(format: QuantityFormat) -> Quantity {
        Quantity { nanos: 0, format }
    }

    /// `m` thousandths, DecimalSI (upstream `NewMilliQuantity(m, DecimalSI)`).
    pub fn from_milli(m: i64) -> Quantity {
        Quantity {
            nanos: i128::from(m) * NANOS_PER_MILLI,
            format: QuantityFormat::DecimalSI,
        }
    }

    /// `v` whole units in `format` (upstream `NewQuantity`).
    pub fn from_value(v: i64, format: QuantityFormat) -> Quantity {
        Quantity {
            nanos: i128::from(v) * NANO,
            format,
        }
    }

    /// `nanos` billionths in `format`; `OutOfRange` only for `i128::MIN`.
    pub fn from_nanos(nanos: i128, format: QuantityFormat) -> Result<Quantity, QuantityError> {
        if nanos == i128::MIN {
            return Err(QuantityError::OutOfRange);
        }
        Ok(Quantity { nanos, format })
    }

    /// The exact value in billionths (nano-units): `1` is 1_000_000_000,
    /// `250m` is 250_000_000, `1Ki` is 1_024_000_000_000.
    pub fn nanos(&self) -> i128 {
        self.nanos
    }

    /// `ceil(q * 1000)`, rounded away from zero: upstream `MilliValue()` =
    /// `ScaledValue(Milli)` (k8s.io/apimachinery/pkg/api/resource/amount.go:
    /// `negativeScaleInt64`), so "0.0001" gives 1. Saturates at the i64 range.
    pub fn milli_value(&self) -> i64 {
        saturate_i64(self.scaled_value(NANOS_PER_MILLI))
    }

    /// Whole units rounded away from zero ("0.1" gives 1): upstream
    /// `Value()`. Saturates at the i64 range.
    pub fn value(&self) -> i64 {
        saturate_i64(self.scaled_value(NANO))
    }

    /// [`Quantity::milli_value`], or `None` if it does not fit an i64.
    pub fn checked_milli_value(&self) -> Option<i64> {
        i64::try_from(self.scaled_value(NANOS_PER_MILLI)).ok()
    }

    /// [`Quantity::value`], or `None` if it does not fit an i64.
    pub fn checked_value(&self) -> Option<i64> {
        i64::try_from(self.scaled_value(NANO)).ok()
    }

    /// `nanos / unit`, any remainder rounded away from zero.
    fn scaled_value(&self, unit: i128) -> i128 {
        let q = self.nanos / unit;
        if self.nanos % unit != 0 {
            q + self.nanos.signum()
        } else {
            q
        }
    }

    /// Whether the value is zero (in any format).
    pub fn is_zero(&self) -> bool {
        self.nanos == 0
    }

    /// `Less` if negative, `Equal` if zero, `Greater` if positive.
    pub fn sign(&self) -> Ordering {
        self.nanos.cmp(&0)
    }

    /// The format used when printing.
    pub fn format(&self) -> QuantityFormat {
        self.format
    }

    /// `self + rhs`, or `None` beyond the supported range. Like upstream
    /// `Add`, a zero `self` takes `rhs`'s format.
    pub fn checked_add(&self, rhs: &Quantity) -> Option<Quantity> {
        let nanos = self
            .nanos
            .checked_add(rhs.nanos)
            .filter(|&n| n != i128::MIN)?;
        Some(Quantity {
            nanos,
            format: self.combined_format(rhs),
        })
    }

    /// `self - rhs`, or `None` beyond the supported range. Like upstream
    /// `Sub`, a zero `self` takes `rhs`'s format.
    pub fn checked_sub(&self, rhs: &Quantity) -> Option<Quantity> {
        let nanos = self
            .nanos
            .checked_sub(rhs.nanos)
            .filter(|&n| n != i128::MIN)?;
        Some(Quantity {
            nanos,
            format: self.combined_format(rhs),
        })
    }

    /// `self + rhs`, saturating at the supported range.
    pub fn saturating_add(&self, rhs: &Quantity) -> Quantity {
        Quantity {
            nanos: self.nanos.saturating_add(rhs.nanos).max(-i128::MAX),
            format: self.combined_format(rhs),
        }
    }

    /// `self - rhs`, saturating at the supported range.
    pub fn saturating_sub(&self, rhs: &Quantity) -> Quantity {
        Quantity {
            nanos: self.nanos.saturating_sub(rhs.nanos).max(-i128::MAX),
            format: self.combined_format(rhs),
        }
    }

    /// k8s.io/apimachinery/pkg/api/resource/quantity.go: Add/Sub — "If the
    /// current value is zero, the format of the quantity will be updated to
    /// the format of y."
    fn combined_format(&self, rhs: &Quantity) -> QuantityFormat {
        if self.is_zero() {
            rhs.format
        } else {
            self.format
        }
    }

    /// Upstream `CanonicalizeBytes` (quantity.go) with `AsCanonicalBytes` /
    /// `AsCanonicalBase1024Bytes` (amount.go): no precision lost, no
    /// fractional digits, the largest suffix or exponent possible.
    fn canonical(&self) -> String {
        if self.nanos == 0 {
            return "0".to_owned();
        }
        let magnitude = self.nanos.unsigned_abs();
        let mut format = self.format;
        if format == QuantityFormat::BinarySI {
            // Values in (-1024, 1024) print as DecimalSI ("This avoids
            // rounding and hopefully confusion, too."), and so does anything
            // that is not a whole number ("Don't lose precision").
            if magnitude < 1024 * NANO_U || !magnitude.is_multiple_of(NANO_U) {
                format = QuantityFormat::DecimalSI;
            }
        }
        let (number, suffix) = match format {
            QuantityFormat::BinarySI => {
                // removeInt64Factors(value, 1024)
                let mut units = magnitude / NANO_U;
                let mut exponent = 0usize;
                while units >= 1024 && units.is_multiple_of(1024) {
                    units /= 1024;
                    exponent += 1;
                }
                // There is no suffix past Ei (upstream would print no
                // suffix at all); keep the excess factor in the number.
                while exponent > 6 {
                    units *= 1024; // undoes a division above: cannot overflow
                    exponent -= 1;
                }
                const BINARY: [&str; 7] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
                (units.to_string(), BINARY[exponent].to_owned())
            }
            QuantityFormat::DecimalSI | QuantityFormat::DecimalExponent => {
                // Move all factors of 10 into the exponent, then make the
                // exponent a multiple of 3 (1.1e5 -> "110", 3).
                let mut mantissa = magnitude;
                let mut exponent: i32 = -9;
                while mantissa >= 10 && mantissa.is_multiple_of(10) {
                    mantissa /= 10;
                    exponent += 1;
                }
                let mut number = mantissa.to_string();
                // Go's % truncates like Rust's: cases 1,-2 and 2,-1.
                match exponent % 3 {
                    1 | -2 => {
                        number.push('0');
                        exponent -= 1;
                    }
                    2 | -1 => {
                        number.push_str("00");
                        exponent -= 2;
                    }
                    _ => {}
                }
                let suffix = if format == QuantityFormat::DecimalSI {
                    // DecimalSI only has suffixes up to "E" (10^18); beyond
                    // that fall back to exponent notation rather than drop
                    // the exponent (newer upstream does the same).
                    decimal_si_suffix(exponent)
                        .map_or_else(|| format!("e{exponent}"), str::to_owned)
                } else if exponent == 0 {
                    String::new()
                } else {
                    format!("e{exponent}")
                };
                (number, suffix)
            }
        };
        let sign = if self.nanos < 0 { "-" } else { "" };
        format!("{sign}{number}{suffix}")
    }
}

/// k8s.io/apimachinery/pkg/api/resource/suffix.go: the decimal suffix list.
fn decimal_si_suffix(exponent: i32) -> Option<&'static str> {
    Some(match exponent {
        -9 => "n",
        -6 => "u",
        -3 => "m",
        0 => "",
        3 => "k",
        6 => "M",
        9 => "G",
        12 => "T",
        15 => "P",
        18 => "E",
        _ => return None,
    })
}

fn saturate_i64(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

impl Default for Quantity {
    /// Zero, DecimalSI.
    fn default() -> Quantity {
        Quantity::zero(QuantityFormat::DecimalSI)
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;
    fn from_str(s: &str) -> Result<Quantity, QuantityError> {
        Quantity::parse(s)
    }
}

impl fmt::Display for Quantity {
    /// The canonical form: `1.5` -> `1500m`, `0.5Gi` -> `512Mi`,
    /// `1000m` -> `1`, `1e3` -> `1e3`, zero -> `0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.canonical())
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Quantity) -> bool {
        self.nanos == other.nanos
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Quantity) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    /// Upstream `Cmp`: by exact value.
    fn cmp(&self, other: &Quantity) -> Ordering {
        self.nanos.cmp(&other.nanos)
    }
}

impl Hash for Quantity {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.nanos.hash(state);
    }
}

impl Add for Quantity {
    type Output = Quantity;
    /// Saturating; see [`Quantity::checked_add`].
    fn add(self, rhs: Quantity) -> Quantity {
        self.saturating_add(&rhs)
    }
}

impl Add<&Quantity> for &Quantity {
    type Output = Quantity;
    fn add(self, rhs: &Quantity) -> Quantity {
        self.saturating_add(rhs)
    }
}

impl Sub for Quantity {
    type Output = Quantity;
    /// Saturating; see [`Quantity::checked_sub`].
    fn sub(self, rhs: Quantity) -> Quantity {
        self.saturating_sub(&rhs)
    }
}

impl Sub<&Quantity> for &Quantity {
    type Output = Quantity;
    fn sub(self, rhs: &Quantity) -> Quantity {
        self.saturating_sub(rhs)
    }
}

impl Neg for Quantity {
    type Output = Quantity;
    /// Upstream `Neg`; the range is symmetric, so this cannot overflow.
    fn neg(self) -> Quantity {
        Quantity {
            nanos: -self.nanos,
            format: self.format,
        }
    }
}

impl Serialize for Quantity {
    /// The canonical string, as upstream `MarshalJSON`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.canonical())
    }
}

/// Accepts what Kubernetes accepts in manifests: a string, or a bare
/// number (`cpu: 4`, `cpu: 0.5`), which upstream `UnmarshalJSON` parses
/// from its literal text.
struct QuantityVisitor;

impl QuantityVisitor {
    fn parse<E: de::Error>(text: &str) -> Result<Quantity, E> {
        // Upstream UnmarshalJSON trims surrounding whitespace before parsing
        // ("TODO: Remove support for leading/trailing whitespace").
        Quantity::parse(text.trim()).map_err(E::custom)
    }
}

impl Visitor<'_> for QuantityVisitor {
    type Value = Quantity;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a quantity such as \"250m\", \"64Mi\" or 2")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Quantity, E> {
        Self::parse(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Quantity, E> {
        Self::parse(&v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Quantity, E> {
        Self::parse(&v.to_string())
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Quantity, E> {
        Self::parse(&v.to_string())
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Quantity, E> {
        Self::parse(&v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Quantity, E> {
        // The only floating point in this module: the deserializer already
        // turned the literal into a float, so recover its shortest decimal
        // text ({} never uses exponent notation; NaN/inf fail to parse) and
        // parse that exactly.
        Self::parse(&format!("{v}"))
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(QuantityVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::QuantityFormat::{BinarySI, DecimalExponent, DecimalSI};
    use super::*;

    const MOST_POSITIVE: i128 = i64::MAX as i128;
    const MOST_NEGATIVE: i128 = i64::MIN as i128;

    /// Upstream test helper `decQuantity(i, exponent, format)`: i * 10^exponent.
    fn dq(i: i128, exponent: i32, format: QuantityFormat) -> Quantity {
        let shift = exponent + 9;
        let nanos = if shift >= 0 {
            i * 10i128.pow(shift.unsigned_abs())
        } else {
            let div = 10i128.pow(shift.unsigned_abs());
            assert_eq!(i % div, 0, "decQuantity({i}, {exponent}) is finer than 1n");
            i / div
        };
        Quantity { nanos, format }
    }

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    // Ported from TestQuantityParseZero in quantity_test.go
    #[test]
    fn parse_zero() {
        assert_eq!(q("0").to_string(), "0");
        assert_eq!(q("0").format(), DecimalSI);
    }

    // Ported from TestParseQuantityString in quantity_test.go
    #[test]
    fn parse_quantity_string_table() {
        let table: &[(&str, bool, &str, &str, &str, &str)] = &[
            ("0.025Ti", true, "0.025", "0", "025", "Ti"),
            ("1.025Ti", true, "1.025", "1", "025", "Ti"),
            ("-1.025Ti", false, "-1.025", "1", "025", "Ti"),
            (".", true, ".", "0", "", ""),
            ("-.", false, "-.", "0", "", ""),
            ("1E-3", true, "1", "1", "", "E-3"),
        ];
        for &(input, positive, value, num, denom, suffix) in table {
            let want = Parts {
                positive,
                value: value.as_bytes(),
                num: num.as_bytes(),
                denom: denom.as_bytes(),
                suffix: suffix.as_bytes(),
            };
            assert_eq!(parse_quantity_string(input.as_bytes()), Ok(want), "{input}");
        }
    }

    // Ported from TestQuantityParse in quantity_test.go: the value and
    // format table, each row also tried with a leading "-" and "+".
    #[test]
    fn parse_table() {
        let max_allowed = Quantity {
            nanos: MOST_POSITIVE * NANO,
            format: BinarySI,
        };
        let table: Vec<(&str, Quantity)> = vec![
            ("0", dq(0, 0, DecimalSI)),
            ("0n", dq(0, 0, DecimalSI)),
            ("0u", dq(0, 0, DecimalSI)),
            ("0m", dq(0, 0, DecimalSI)),
            ("0Ki", dq(0, 0, BinarySI)),
            ("0k", dq(0, 0, DecimalSI)),
            ("0Mi", dq(0, 0, BinarySI)),
            ("0M", dq(0, 0, DecimalSI)),
            ("0Gi", dq(0, 0, BinarySI)),
            ("0G", dq(0, 0, DecimalSI)),
            ("0Ti", dq(0, 0, BinarySI)),
            ("0T", dq(0, 0, DecimalSI)),
            // Quantity less numbers are allowed
            ("1", dq(1, 0, DecimalSI)),
            // Binary suffixes
            ("1Ki", dq(1024, 0, BinarySI)),
            ("8Ki", dq(8 * 1024, 0, BinarySI)),
            ("7Mi", dq(7 * 1024 * 1024, 0, BinarySI)),
            ("6Gi", dq(6 * 1024 * 1024 * 1024, 0, BinarySI)),
            ("5Ti", dq(5 * 1024 * 1024 * 1024 * 1024, 0, BinarySI)),
            ("4Pi", dq(4 * 1024 * 1024 * 1024 * 1024 * 1024, 0, BinarySI)),
            (
                "3Ei",
                dq(3 * 1024 * 1024 * 1024 * 1024 * 1024 * 1024, 0, BinarySI),
            ),
            ("10Ti", dq(10 * 1024 * 1024 * 1024 * 1024, 0, BinarySI)),
            ("100Ti", dq(100 * 1024 * 1024 * 1024 * 1024, 0, BinarySI)),
            // Decimal suffixes
            ("5n", dq(5, -9, DecimalSI)),
            ("4u", dq(4, -6, DecimalSI)),
            ("3m", dq(3, -3, DecimalSI)),
            ("9", dq(9, 0, DecimalSI)),
            ("8k", dq(8, 3, DecimalSI)),
            ("50k", dq(5, 4, DecimalSI)),
            ("7M", dq(7, 6, DecimalSI)),
            ("6G", dq(6, 9, DecimalSI)),
            ("5T", dq(5, 12, DecimalSI)),
            ("40T", dq(4, 13, DecimalSI)),
            ("300T", dq(3, 14, DecimalSI)),
            ("2P", dq(2, 15, DecimalSI)),
            ("1E", dq(1, 18, DecimalSI)),
            // Decimal exponents
            ("1E-3", dq(1, -3, DecimalExponent)),
            ("1e3", dq(1, 3, DecimalExponent)),
            ("1E6", dq(1, 6, DecimalExponent)),
            ("1e9", dq(1, 9, DecimalExponent)),
            ("1E12", dq(1, 12, DecimalExponent)),
            ("1e15", dq(1, 15, DecimalExponent)),
            ("1E18", dq(1, 18, DecimalExponent)),
            // Nonstandard but still parsable
            ("1e14", dq(1, 14, DecimalExponent)),
            ("1e13", dq(1, 13, DecimalExponent)),
            ("1e3", dq(1, 3, DecimalExponent)),
            ("100.035k", dq(100035, 0, DecimalSI)),
            // Things that look like floating point
            ("0.001", dq(1, -3, DecimalSI)),
            ("0.0005k", dq(5, -1, DecimalSI)),
            ("0.005", dq(5, -3, DecimalSI)),
            ("0.05", dq(5, -2, DecimalSI)),
            ("0.5", dq(5, -1, DecimalSI)),
            ("0.00050k", dq(5, -1, DecimalSI)),
            ("0.00500", dq(5, -3, DecimalSI)),
            ("0.05000", dq(5, -2, DecimalSI)),
            ("0.50000", dq(5, -1, DecimalSI)),
            ("0.5e0", dq(5, -1, DecimalExponent)),
            ("0.5e-1", dq(5, -2, DecimalExponent)),
            ("0.5e-2", dq(5, -3, DecimalExponent)),
            ("0.5e0", dq(5, -1, DecimalExponent)),
            ("10.035M", dq(10035, 3, DecimalSI)),
            ("1.2e3", dq(12, 2, DecimalExponent)),
            ("1.3E+6", dq(13, 5, DecimalExponent)),
            ("1.40e9", dq(14, 8, DecimalExponent)),
            ("1.53E12", dq(153, 10, DecimalExponent)),
            ("1.6e15", dq(16, 14, DecimalExponent)),
            ("1.7E18", dq(17, 17, DecimalExponent)),
            ("9.01", dq(901, -2, DecimalSI)),
            ("8.1k", dq(81, 2, DecimalSI)),
            ("7.123456M", dq(7123456, 0, DecimalSI)),
            ("6.987654321G", dq(6987654321, 0, DecimalSI)),
            ("5.444T", dq(5444, 9, DecimalSI)),
            ("40.1T", dq(401, 11, DecimalSI)),
            ("300.2T", dq(3002, 11, DecimalSI)),
            ("2.5P", dq(25, 14, DecimalSI)),
            ("1.01E", dq(101, 16, DecimalSI)),
            // Things that saturate/round
            ("3.001n", dq(4, -9, DecimalSI)),
            ("1.1E-9", dq(2, -9, DecimalExponent)),
            ("0.0000000001", dq(1, -9, DecimalSI)),
            ("0.0000000005", dq(1, -9, DecimalSI)),
            ("0.00000000050", dq(1, -9, DecimalSI)),
            ("0.5e-9", dq(1, -9, DecimalExponent)),
            ("0.9n", dq(1, -9, DecimalSI)),
            ("0.00000012345", dq(124, -9, DecimalSI)),
            ("0.00000012354", dq(124, -9, DecimalSI)),
            ("9Ei", max_allowed.clone()),
            ("9223372036854775807Ki", max_allowed.clone()),
            ("12E", dq(12, 18, DecimalSI)),
            // We'll accept fractional binary stuff, too.
            ("100.035Ki", dq(10243584, -2, BinarySI)),
            ("0.5Mi", dq(512 * 1024, 0, BinarySI)),
            ("0.05Gi", dq(536870912, -1, BinarySI)),
            ("0.025Ti", dq(274877906944, -1, BinarySI)),
            // Things written by trolls
            ("0.000000000001Ki", dq(2, -9, DecimalSI)), // rounds up, changes format
            (".001", dq(1, -3, DecimalSI)),
            (".0001k", dq(100, -3, DecimalSI)),
            ("1.", dq(1, 0, DecimalSI)),
            ("1.G", dq(1, 9, DecimalSI)),
        ];
        for (input, want) in &table {
            let got = q(input);
            assert_eq!(got.nanos, want.nanos, "{input}");
            assert_eq!(got.format(), want.format, "{input}");
            // Try the negative version of everything
            let neg = q(&format!("-{input}"));
            assert_eq!(neg.nanos, -want.nanos, "-{input}");
            assert_eq!(neg.format(), want.format, "-{input}");
            // Try everything with an explicit +
            let pos = q(&format!("+{input}"));
            assert_eq!(pos.nanos, want.nanos, "+{input}");
            assert_eq!(pos.format(), want.format, "+{input}");
        }
    }

    // Ported from the invalid list of TestQuantityParse and from
    // TestQuantityParseNonNumericPanic in quantity_test.go, with the
    // specific upstream error each produces.
    #[test]
    fn parse_invalid() {
        use QuantityError::*;
        let table: &[(&str, QuantityError)] = &[
            ("", FormatWrong),
            ("1.1.M", FormatWrong),
            ("1+1.0M", FormatWrong),
            ("0.1mi", Suffix),
            ("0.1am", FormatWrong),
            ("aoeu", FormatWrong),
            (".5i", Suffix),
            ("1i", Suffix),
            ("-3.01i", Suffix),
            ("-3.01e-", Suffix),
            // trailing whitespace is forbidden
            (" 1", FormatWrong),
            ("1 ", FormatWrong),
            ("Non-Numeric", FormatWrong),
            // kubesim additions
            ("1K", Suffix),
            ("1e", Suffix),
            ("1e+", Suffix),
            ("1Ki2", Suffix),
            ("1e99999999999999999999", Suffix), // not an int64: ParseInt fails
            ("--1", Suffix),                    // "-1" scans as an (invalid) exponent suffix
            ("1\u{b5}", FormatWrong),
            ("\t1", FormatWrong),
            ("1_000", FormatWrong),
            ("NaN", FormatWrong),
            ("inf", FormatWrong),
            ("Pi", Numeric),    // no digits and not on upstream's int64 fast path
            ("-.Ei", Numeric),  // likewise
            (".e-10", Numeric), // below nano: inf.Dec path, which needs a digit
            ("e-10", Numeric),
            ("1e39", OutOfRange),
            ("1e30", OutOfRange),
            ("-1e30", OutOfRange),
            ("170141183460469231731687303715.884105728", OutOfRange),
            ("1e2147483647", OutOfRange),
        ];
        for &(input, want) in table {
            assert_eq!(Quantity::parse(input), Err(want), "{input:?}");
        }
        assert_eq!(
            QuantityError::FormatWrong.to_string(),
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        );
        assert_eq!(
            QuantityError::Suffix.to_string(),
            "unable to parse quantity's suffix"
        );
        assert_eq!(
            QuantityError::Numeric.to_string(),
            "unable to parse numeric part of quantity"
        );
    }

    // kubesim's own table (no upstream test covers these): behaviours that
    // look surprising but are what Kubernetes accepts, derived from
    // parseQuantityString / ParseQuantity in quantity.go; kept so manifests
    // mean the same thing here.
    #[test]
    fn parse_upstream_quirks() {
        let table: &[(&str, i128, QuantityFormat, &str)] = &[
            (".", 0, DecimalSI, "0"),
            ("-", 0, DecimalSI, "0"),
            ("+", 0, DecimalSI, "0"),
            ("-0", 0, DecimalSI, "0"),
            ("000", 0, DecimalSI, "0"),
            ("Ki", 0, BinarySI, "0"),
            ("m", 0, DecimalSI, "0"),
            ("e-9", 0, DecimalExponent, "0"),
            ("0e99999", 0, DecimalExponent, "0"),
            ("05", 5 * NANO, DecimalSI, "5"),
            ("+1", NANO, DecimalSI, "1"),
            ("1E3", 1000 * NANO, DecimalExponent, "1e3"),
            ("1e+3", 1000 * NANO, DecimalExponent, "1e3"),
            // int32(parsed) wraps: 2^32 means an exponent of 0 ...
            ("1e4294967296", NANO, DecimalExponent, "1"),
            // ... and 2^32-1 an exponent of -1.
            ("1e4294967295", NANO / 10, DecimalExponent, "100e-3"),
            // Far below nano still rounds up to 1n.
            ("1e-2147483648", 1, DecimalExponent, "1e-9"),
            (
                "0.000000000000000000000000000000000000000000001",
                1,
                DecimalSI,
                "1n",
            ),
            ("-0.0000000001", -1, DecimalSI, "-1n"),
        ];
        for &(input, nanos, format, canonical) in table {
            let got = q(input);
            assert_eq!((got.nanos, got.format()), (nanos, format), "{input}");
            assert_eq!(got.to_string(), canonical, "{input}");
        }
        // BinarySI caps at 2^63-1, whatever the size.
        let long_binary = format!("{}Ki", "9".repeat(200));
        assert_eq!(q(&long_binary).nanos, MOST_POSITIVE * NANO);
        assert_eq!(q(&format!("-{long_binary}")).nanos, -MOST_POSITIVE * NANO);
        assert_eq!(q("8Ei").to_string(), "9223372036854775807");
        assert_eq!(
            q("7.99999999999999999999Ei").to_string(),
            "9223372036854775807"
        );
        assert_eq!(q("1.5Ei").to_string(), "1536Pi");
        // The exact boundary of the representation.
        let max = q("170141183460469231731687303715.884105727");
        assert_eq!(max.nanos, i128::MAX);
        assert_eq!(q(&max.to_string()), max);
        assert_eq!(
            q("-170141183460469231731687303715.884105727").nanos,
            -i128::MAX
        );
    }

    // Ported from TestQuantityString in quantity_test.go: canonical form,
    // the alternate spellings that canonicalize to it, and the negation.
    #[test]
    fn canonical_string() {
        let table: Vec<(Quantity, &str, &str)> = vec![
            (dq(1024 * 1024 * 1024, 0, BinarySI), "1Gi", "1024Mi"),
            (dq(300 * 1024 * 1024, 0, BinarySI), "300Mi", "307200Ki"),
            (dq(6 * 1024, 0, BinarySI), "6Ki", ""),
            (
                dq(1001 * 1024 * 1024 * 1024, 0, BinarySI),
                "1001Gi",
                "1025024Mi",
            ),
            (dq(1024 * 1024 * 1024 * 1024, 0, BinarySI), "1Ti", "1024Gi"),
            (dq(5, 0, BinarySI), "5", "5000m"),
            (dq(500, -3, BinarySI), "500m", "0.5"),
            (dq(1, 9, DecimalSI), "1G", "1000M"),
            (dq(1000, 6, DecimalSI), "1G", "0.001T"),
            (dq(1000000, 3, DecimalSI), "1G", ""),
            (dq(1000000000, 0, DecimalSI), "1G", ""),
            (dq(1, -3, DecimalSI), "1m", "1000u"),
            (dq(80, -3, DecimalSI), "80m", ""),
            (dq(1080, -3, DecimalSI), "1080m", "1.08"),
            (dq(108, -2, DecimalSI), "1080m", "1080000000n"),
            (dq(10800, -4, DecimalSI), "1080m", ""),
            (dq(300, 6, DecimalSI), "300M", ""),
            (dq(1, 12, DecimalSI), "1T", ""),
            (dq(1234567, 6, DecimalSI), "1234567M", ""),
            (dq(1234567, -3, BinarySI), "1234567m", ""),
            (dq(3, 3, DecimalSI), "3k", ""),
            (dq(1025, 0, BinarySI), "1025", ""),
            (dq(0, 0, DecimalSI), "0", ""),
            (dq(0, 0, BinarySI), "0", ""),
            (dq(1, 9, DecimalExponent), "1e9", ".001e12"),
            (dq(1, -3, DecimalExponent), "1e-3", "0.001e0"),
            (dq(1, -9, DecimalExponent), "1e-9", "1000e-12"),
            (dq(80, -3, DecimalExponent), "80e-3", ""),
            (dq(300, 6, DecimalExponent), "300e6", ""),
            (dq(1, 12, DecimalExponent), "1e12", ""),
            (dq(1, 3, DecimalExponent), "1e3", ""),
            (dq(3, 3, DecimalExponent), "3e3", ""),
            (dq(3, 3, DecimalSI), "3k", ""),
            (dq(0, 0, DecimalExponent), "0", "00"),
            (dq(1, -9, DecimalSI), "1n", ""),
            (dq(80, -9, DecimalSI), "80n", ""),
            (dq(1080, -9, DecimalSI), "1080n", ""),
            (dq(108, -8, DecimalSI), "1080n", ""),
            (dq(10800, -10, DecimalSI), "1080n", ""),
            (dq(1, -6, DecimalSI), "1u", ""),
            (dq(80, -6, DecimalSI), "80u", ""),
            (dq(1080, -6, DecimalSI), "1080u", ""),
        ];
        for (input, expect, alternate) in &table {
            assert_eq!(input.to_string(), *expect, "{input:?}");
            assert_eq!(q(expect), *input, "{expect}");
            assert_eq!(q(expect).to_string(), *expect, "{expect}");
            if !alternate.is_empty() {
                assert_eq!(q(alternate).to_string(), *expect, "{alternate}");
            }
            if !input.is_zero() {
                // Don't expect it to print "-0" ever
                assert_eq!(
                    (-input.clone()).to_string(),
                    format!("-{expect}"),
                    "{input:?}"
                );
            }
        }
    }

    // Ported from TestQuantityParseEmit in quantity_test.go (also negated),
    // plus the brief's canonical examples.
    #[test]
    fn parse_emit() {
        let table: &[(&str, &str)] = &[
            ("1Ki", "1Ki"),
            ("1Mi", "1Mi"),
            ("1Gi", "1Gi"),
            ("1024Mi", "1Gi"),
            ("1000M", "1G"),
            (".001Ki", "1024m"),
            (".000001Ki", "1024u"),
            (".000000001Ki", "1024n"),
            (".000000000001Ki", "2n"),
            // kubesim: the brief's examples
            ("250m", "250m"),
            ("64Mi", "64Mi"),
            ("1G", "1G"),
            ("1e3", "1e3"),
            ("0.5", "500m"),
            ("1.5", "1500m"),
            ("1536Mi", "1536Mi"),
            ("1.5Gi", "1536Mi"),
            ("0.5Gi", "512Mi"),
            ("1000m", "1"),
            ("100M", "100M"),
            ("0", "0"),
            ("1.5Ki", "1536"),
            ("1.1Ki", "1126400m"),
            ("1023Ki", "1023Ki"),
            ("1.5e3", "1500"),
            ("1.5e4", "15e3"),
            ("12e-4", "1200e-6"),
            ("1000E", "1e21"),
            ("999E", "999E"),
            ("4000k", "4M"),
            ("0.1m", "100u"),
            ("0.0001", "100u"),
            ("100.035Ki", "102435840m"),
            ("2.5Mi", "2560Ki"),
            ("1e0", "1"),
        ];
        for &(input, want) in table {
            assert_eq!(q(input).to_string(), want, "{input}");
            if !q(input).is_zero() {
                assert_eq!(
                    q(&format!("-{input}")).to_string(),
                    format!("-{want}"),
                    "-{input}"
                );
            }
        }
    }

    // Ported from TestParseQuantity in quantity_test.go: values around the
    // int64 limits, their exact decimal value and their canonical form
    // (empty = the input itself).
    #[test]
    fn parse_near_int64_limits() {
        let table: &[(&str, &str, &str)] = &[
            // min/max 18 digits
            ("-999999999999999999", "-999999999999999999", ""),
            ("999999999999999999", "999999999999999999", ""),
            (
                "-999999999999999999.0",
                "-999999999999999999",
                "-999999999999999999",
            ),
            (
                "999999999999999999.0",
                "999999999999999999",
                "999999999999999999",
            ),
            (
                "-999999999999999999.1",
                "-999999999999999999.1",
                "-999999999999999999100m",
            ),
            (
                "999999999999999999.1",
                "999999999999999999.1",
                "999999999999999999100m",
            ),
            // min/max 19 digits
            ("-9999999999999999999", "-9999999999999999999", ""),
            ("9999999999999999999", "9999999999999999999", ""),
            ("-1E", "-1000000000000000000", ""),
            ("1E", "1000000000000000000", ""),
            ("-1000000000000000000", "-1000000000000000000", "-1E"),
            ("1000000000000000000", "1000000000000000000", "1E"),
            (
                "-9999999999999999999.0",
                "-9999999999999999999",
                "-9999999999999999999",
            ),
            (
                "9999999999999999999.0",
                "9999999999999999999",
                "9999999999999999999",
            ),
            ("-1.0E", "-1000000000000000000", "-1E"),
            ("1.0E", "1000000000000000000", "1E"),
            ("-1000000000000000000.0", "-1000000000000000000", "-1E"),
            ("1000000000000000000.0", "1000000000000000000", "1E"),
            (
                "-9999999999999999999000m",
                "-9999999999999999999",
                "-9999999999999999999",
            ),
            (
                "9999999999999999999000m",
                "9999999999999999999",
                "9999999999999999999",
            ),
            (
                "-9999999999999999999.1",
                "-9999999999999999999.1",
                "-9999999999999999999100m",
            ),
            (
                "9999999999999999999.1",
                "9999999999999999999.1",
                "9999999999999999999100m",
            ),
            (
                "-1.0000000000000000001E",
                "-1000000000000000000.1",
                "-1000000000000000000100m",
            ),
            (
                "1.0000000000000000001E",
                "1000000000000000000.1",
                "1000000000000000000100m",
            ),
            (
                "-1000000000000000000.1",
                "-1000000000000000000.1",
                "-1000000000000000000100m",
            ),
            (
                "1000000000000000000.1",
                "1000000000000000000.1",
                "1000000000000000000100m",
            ),
            (
                "-1.000000000000000001E",
                "-1000000000000000001",
                "-1000000000000000001",
            ),
            (
                "1.000000000000000001E",
                "1000000000000000001",
                "1000000000000000001",
            ),
            ("-1000000000000000001", "-1000000000000000001", ""),
            ("1000000000000000001", "1000000000000000001", ""),
            // min/max 20 digits
            ("-10E", "-10000000000000000000", ""),
            ("10E", "10000000000000000000", ""),
            ("-10000000000000000000", "-10000000000000000000", "-10E"),
            ("10000000000000000000", "10000000000000000000", "10E"),
            ("-10.0E", "-10000000000000000000", "-10E"),
            ("10.0E", "10000000000000000000", "10E"),
            ("-10000000000000000000.0", "-10000000000000000000", "-10E"),
            ("10000000000000000000.0", "10000000000000000000", "10E"),
            ("-10000000000000000000000m", "-10000000000000000000", "-10E"),
            ("10000000000000000000000m", "10000000000000000000", "10E"),
            (
                "-10.0000000000000000001E",
                "-10000000000000000000.1",
                "-10000000000000000000100m",
            ),
            (
                "10.0000000000000000001E",
                "10000000000000000000.1",
                "10000000000000000000100m",
            ),
            (
                "-10000000000000000000.1",
                "-10000000000000000000.1",
                "-10000000000000000000100m",
            ),
            (
                "10000000000000000000.1",
                "10000000000000000000.1",
                "10000000000000000000100m",
            ),
            (
                "-10.000000000000000001E",
                "-10000000000000000001",
                "-10000000000000000001",
            ),
            (
                "10.000000000000000001E",
                "10000000000000000001",
                "10000000000000000001",
            ),
            ("-10000000000000000001", "-10000000000000000001", ""),
            ("10000000000000000001", "10000000000000000001", ""),
            // min/max int64 - 1
            ("-9223372036854775809", "-9223372036854775809", ""),
            ("9223372036854775806", "9223372036854775806", ""),
            (
                "-9223372036854775809.0",
                "-9223372036854775809",
                "-9223372036854775809",
            ),
            (
                "9223372036854775806.0",
                "9223372036854775806",
                "9223372036854775806",
            ),
            (
                "-9223372036854775809000m",
                "-9223372036854775809",
                "-9223372036854775809",
            ),
            (
                "9223372036854775806000m",
                "9223372036854775806",
                "9223372036854775806",
            ),
            (
                "-9223372036854775809.1",
                "-9223372036854775809.1",
                "-9223372036854775809100m",
            ),
            (
                "9223372036854775806.1",
                "9223372036854775806.1",
                "9223372036854775806100m",
            ),
            // min/max int64
            ("-9223372036854775808", "-9223372036854775808", ""),
            ("9223372036854775807", "9223372036854775807", ""),
            (
                "-9223372036854775808.0",
                "-9223372036854775808",
                "-9223372036854775808",
            ),
            (
                "9223372036854775807.0",
                "9223372036854775807",
                "9223372036854775807",
            ),
            (
                "-9223372036854775808000m",
                "-9223372036854775808",
                "-9223372036854775808",
            ),
            (
                "9223372036854775807000m",
                "9223372036854775807",
                "9223372036854775807",
            ),
            (
                "-9223372036854775808.1",
                "-9223372036854775808.1",
                "-9223372036854775808100m",
            ),
            (
                "9223372036854775807.1",
                "9223372036854775807.1",
                "9223372036854775807100m",
            ),
            // min/max int64 + 1
            ("-9223372036854775807", "-9223372036854775807", ""),
            ("9223372036854775808", "9223372036854775808", ""),
            (
                "-9223372036854775807.0",
                "-9223372036854775807",
                "-9223372036854775807",
            ),
            (
                "9223372036854775808.0",
                "9223372036854775808",
                "9223372036854775808",
            ),
            (
                "-9223372036854775807000m",
                "-9223372036854775807",
                "-9223372036854775807",
            ),
            (
                "9223372036854775808000m",
                "9223372036854775808",
                "9223372036854775808",
            ),
            (
                "-9223372036854775807.1",
                "-9223372036854775807.1",
                "-9223372036854775807100m",
            ),
            (
                "9223372036854775808.1",
                "9223372036854775808.1",
                "9223372036854775808100m",
            ),
        ];
        for &(input, exact, canonical) in table {
            let got = q(input);
            assert_eq!(got, q(exact), "{input}");
            let want = if canonical.is_empty() {
                input
            } else {
                canonical
            };
            assert_eq!(got.to_string(), want, "{input}");
        }
    }

    // Ported from TestQuantityCmp in quantity_test.go
    #[test]
    fn cmp() {
        let table: &[(&str, &str, Ordering)] = &[
            ("0", "0", Ordering::Equal),
            ("100m", "50m", Ordering::Greater),
            ("50m", "100m", Ordering::Less),
            ("10000T", "100Gi", Ordering::Greater),
            // kubesim: equality ignores the format
            ("1", "1000m", Ordering::Equal),
            ("1Ki", "1024", Ordering::Equal),
            ("1k", "1e3", Ordering::Equal),
            ("-1", "0", Ordering::Less),
        ];
        for &(x, y, want) in table {
            assert_eq!(q(x).cmp(&q(y)), want, "{x} vs {y}");
            assert_eq!(q(x) == q(y), want == Ordering::Equal, "{x} vs {y}");
        }
        use std::collections::hash_map::DefaultHasher;
        let hash = |v: &Quantity| {
            let mut h = DefaultHasher::new();
            v.hash(&mut h);
            h.finish()
        };
        assert_eq!(hash(&q("1")), hash(&q("1000m")));
    }

    // Ported from TestQuantityCmpInt64AndDec in quantity_test.go (rows that
    // need precision finer than 1n cannot be represented and are omitted).
    #[test]
    fn cmp_int64_and_dec() {
        let table: Vec<(Quantity, Quantity, Ordering)> = vec![
            (
                dq(901, -2, DecimalSI),
                dq(901, -2, DecimalSI),
                Ordering::Equal,
            ),
            (
                dq(90, -1, DecimalSI),
                dq(901, -2, DecimalSI),
                Ordering::Less,
            ),
            (
                dq(901, -2, DecimalSI),
                dq(900, -2, DecimalSI),
                Ordering::Greater,
            ),
            (dq(0, 0, DecimalSI), dq(0, 0, DecimalSI), Ordering::Equal),
            (dq(0, 1, DecimalSI), dq(0, -1, DecimalSI), Ordering::Equal),
            (dq(0, -1, DecimalSI), dq(0, 1, DecimalSI), Ordering::Equal),
            (dq(800, -3, DecimalSI), dq(1, 0, DecimalSI), Ordering::Less),
            (
                dq(800, -3, DecimalSI),
                dq(79, -2, DecimalSI),
                Ordering::Greater,
            ),
            (
                dq(MOST_POSITIVE, 0, DecimalSI),
                dq(1, -1, DecimalSI),
                Ordering::Greater,
            ),
            (
                dq(MOST_POSITIVE, 1, DecimalSI),
                dq(1, 0, DecimalSI),
                Ordering::Greater,
            ),
            (
                dq(MOST_POSITIVE, 1, DecimalSI),
                dq(1, 1, DecimalSI),
                Ordering::Greater,
            ),
            (
                dq(MOST_POSITIVE, 1, DecimalSI),
                dq(0, 1, DecimalSI),
                Ordering::Greater,
            ),
            (
                dq(MOST_NEGATIVE, 0, DecimalSI),
                dq(0, 0, DecimalSI),
                Ordering::Less,
            ),
            (
                dq(1_000_000_000_000_000_000, -17, DecimalSI),
                dq(1, 1, DecimalSI),
                Ordering::Equal,
            ),
            (
                dq(1_000_000_000_000_000_000, -17, DecimalSI),
                dq(-10, 0, DecimalSI),
                Ordering::Greater,
            ),
            (
                dq(-1_000_000_000_000_000_000, -17, DecimalSI),
                dq(-10, 0, DecimalSI),
                Ordering::Equal,
            ),
            (
                dq(1_000_000_000_000_000_000, -17, DecimalSI),
                dq(1, 0, DecimalSI),
                Ordering::Greater,
            ),
        ];
        for (a, b, want) in &table {
            assert_eq!(a.cmp(b), *want, "{a:?} vs {b:?}");
            assert_eq!(b.cmp(a), want.reverse(), "{b:?} vs {a:?}");
        }
    }

    // Ported from TestQuantityNeg and TestNeg in quantity_test.go
    #[test]
    fn neg() {
        let table: Vec<(Quantity, &str)> = vec![
            (dq(901, -2, DecimalSI), "-9010m"),
            (dq(0, 0, DecimalSI), "0"),
            (dq(10, 0, BinarySI), "-10"),
            (dq(-10, 0, BinarySI), "10"),
        ];
        for (a, want) in table {
            let negated = -a.clone();
            assert_eq!(negated.to_string(), want);
            assert_eq!(negated.format(), a.format());
            assert_eq!(-negated, a);
        }
    }

    // Ported from TestAdd and TestSub in quantity_test.go
    #[test]
    fn add_sub() {
        let zero = Quantity::zero(DecimalSI);
        let adds: Vec<(Quantity, Quantity, Quantity)> = vec![
            (
                dq(10, 0, DecimalSI),
                dq(1, 1, DecimalSI),
                dq(20, 0, DecimalSI),
            ),
            (
                dq(10, 0, DecimalSI),
                dq(1, 0, BinarySI),
                dq(11, 0, DecimalSI),
            ),
            (
                dq(10, 0, BinarySI),
                dq(1, 0, DecimalSI),
                dq(11, 0, BinarySI),
            ),
            (zero.clone(), dq(50, 0, DecimalSI), dq(50, 0, DecimalSI)),
            (dq(50, 0, DecimalSI), zero.clone(), dq(50, 0, DecimalSI)),
            (zero.clone(), zero.clone(), dq(0, 0, DecimalSI)),
        ];
        for (a, b, want) in adds {
            let sum = a.clone() + b.clone();
            assert_eq!(sum, want, "{a} + {b}");
            assert_eq!(sum.format(), want.format, "{a} + {b}");
            assert_eq!(a.checked_add(&b), Some(want.clone()));
            assert_eq!(&a + &b, want);
        }
        let subs: Vec<(Quantity, Quantity, Quantity)> = vec![
            (
                dq(10, 0, DecimalSI),
                dq(1, 1, DecimalSI),
                dq(0, 0, DecimalSI),
            ),
            (
                dq(10, 0, DecimalSI),
                dq(1, 0, BinarySI),
                dq(9, 0, DecimalSI),
            ),
            (dq(10, 0, BinarySI), dq(1, 0, DecimalSI), dq(9, 0, BinarySI)),
            (zero.clone(), dq(50, 0, DecimalSI), dq(-50, 0, DecimalSI)),
            (dq(50, 0, DecimalSI), zero.clone(), dq(50, 0, DecimalSI)),
            (zero.clone(), zero.clone(), dq(0, 0, DecimalSI)),
        ];
        for (a, b, want) in subs {
            let diff = a.clone() - b.clone();
            assert_eq!(diff, want, "{a} - {b}");
            assert_eq!(diff.format(), want.format, "{a} - {b}");
            assert_eq!(a.checked_sub(&b), Some(want.clone()));
            assert_eq!(&a - &b, want);
        }
        let max = Quantity::from_nanos(i128::MAX, DecimalSI).expect("in range");
        let one = q("1n");
        assert_eq!(max.checked_add(&one), None);
        assert_eq!((max.clone() + one.clone()).nanos(), i128::MAX);
        assert_eq!((-max.clone()).checked_sub(&one), None);
        assert_eq!((-max.clone() - one.clone()).nanos(), -i128::MAX);
        assert_eq!(
            Quantity::from_nanos(i128::MIN, DecimalSI),
            Err(QuantityError::OutOfRange)
        );
        // 4Ei + 4Ei exceeds the BinarySI parse cap but is still printable.
        assert_eq!((q("4Ei") + q("4Ei")).to_string(), "8Ei");
        let huge = Quantity::from_nanos((1i128 << 70) * NANO, BinarySI).expect("in range");
        assert_eq!(huge.to_string(), "1024Ei");
    }

    // Ported from TestQuantityAddZeroPreservesSuffix and
    // TestQuantitySubZeroPreservesSuffix in quantity_test.go
    #[test]
    fn zero_preserves_suffix() {
        for value in ["100m", "1Gi"] {
            let v = q(value);
            let zero = q("0");
            assert_eq!((v.clone() + zero.clone()).to_string(), value);
            assert_eq!((zero.clone() + v.clone()).to_string(), value);
            assert_eq!((v.clone() - zero.clone()).to_string(), value);
            assert_eq!((zero - v.clone()).to_string(), (-v).to_string());
        }
    }

    // Ported from TestMilliNewSet, TestNewSet and TestNewScaledSet in
    // quantity_test.go (the "invalidFormatDefaultsToExponent" rows have no
    // equivalent: QuantityFormat cannot hold an invalid format).
    #[test]
    fn constructors() {
        // NewMilliQuantity: (milli, format, canonical, round-trips exactly)
        let milli: &[(i64, QuantityFormat, &str, bool)] = &[
            (1, DecimalSI, "1m", true),
            (1000, DecimalSI, "1", true),
            (1234000, DecimalSI, "1234", true),
            (1024, BinarySI, "1024m", false), // Format changes
            (1024 * 1024, BinarySI, "1048576m", false), // Format changes
        ];
        for &(value, format, want, exact) in milli {
            let got = Quantity::from_nanos(i128::from(value) * NANOS_PER_MILLI, format)
                .expect("in range");
            assert_eq!(got.to_string(), want);
            if format == DecimalSI {
                assert_eq!(Quantity::from_milli(value).to_string(), want);
            }
            if exact {
                assert_eq!(q(want).milli_value(), value);
            }
        }
        // NewQuantity
        let whole: &[(i64, QuantityFormat, &str)] = &[
            (1, DecimalSI, "1"),
            (1000, DecimalSI, "1k"),
            (1234000, DecimalSI, "1234k"),
            (1024, BinarySI, "1Ki"),
            (1024 * 1024, BinarySI, "1Mi"),
            // kubesim
            (0, BinarySI, "0"),
            (-1024, BinarySI, "-1Ki"),
            (1000000, DecimalExponent, "1e6"),
            (i64::MAX, DecimalSI, "9223372036854775807"),
            (i64::MIN, DecimalSI, "-9223372036854775808"),
        ];
        for &(value, format, want) in whole {
            let got = Quantity::from_value(value, format);
            assert_eq!(got.to_string(), want);
            assert_eq!(got.format(), format);
            assert_eq!(q(want).value(), value);
        }
        // NewScaledQuantity(value, scale)
        let scaled: &[(i128, i32, &str)] = &[
            (1, -9, "1n"),
            (1000, -9, "1u"),
            (1, -6, "1u"),
            (1000, -6, "1m"),
            (1, -3, "1m"),
            (1000, -3, "1"),
            (1, 0, "1"),
            (0, -9, "0"),
            (0, -6, "0"),
            (0, -3, "0"),
            (0, 0, "0"),
        ];
        for &(value, scale, want) in scaled {
            let got = dq(value, scale, DecimalSI);
            assert_eq!(got.to_string(), want);
            assert_eq!(q(want), got);
        }
    }

    // Ported from TestScaledValue in quantity_test.go (the Milli and 0
    // target scales, i.e. MilliValue and Value), plus rounding cases.
    #[test]
    fn milli_value_and_value() {
        // (from-scale of a 1, want milli_value, want value)
        let scaled: &[(i32, i64, i64)] = &[(-9, 1, 1), (-6, 1, 1), (-3, 1, 1), (0, 1000, 1)];
        for &(from, milli, whole) in scaled {
            let one = dq(1, from, DecimalSI);
            assert_eq!((one.milli_value(), one.value()), (milli, whole), "1e{from}");
        }
        let table: &[(&str, i64, i64)] = &[
            ("0.0001", 1, 1),
            ("-0.0001", -1, -1),
            ("1.5", 1500, 2),
            ("-1.5", -1500, -2),
            ("100m", 100, 1),
            ("1Ki", 1024000, 1024),
            ("250m", 250, 1),
            ("4", 4000, 4),
            ("0", 0, 0),
            ("1n", 1, 1),
            ("999999999n", 1000, 1),
            ("1000000001n", 1001, 2),
            ("9223372036854775807", i64::MAX, i64::MAX), // MilliValue saturates
            ("-9223372036854775808", i64::MIN, i64::MIN),
            ("1e21", i64::MAX, i64::MAX),
            ("-1e21", i64::MIN, i64::MIN),
        ];
        for &(input, milli, whole) in table {
            let got = q(input);
            assert_eq!((got.milli_value(), got.value()), (milli, whole), "{input}");
        }
        assert_eq!(q("9223372036854775807").checked_milli_value(), None);
        assert_eq!(q("9223372036854775807").checked_value(), Some(i64::MAX));
        assert_eq!(
            q("9223372036854775.807").checked_milli_value(),
            Some(i64::MAX)
        );
        assert_eq!(q("9223372036854775808").checked_value(), None);
    }

    // kubesim's own table: is_zero / sign / format / nanos.
    #[test]
    fn accessors() {
        let table: &[(&str, bool, Ordering, QuantityFormat, i128)] = &[
            ("0", true, Ordering::Equal, DecimalSI, 0),
            ("0Ki", true, Ordering::Equal, BinarySI, 0),
            ("-0e3", true, Ordering::Equal, DecimalExponent, 0),
            ("1Ki", false, Ordering::Greater, BinarySI, 1024 * NANO),
            ("-250m", false, Ordering::Less, DecimalSI, -250_000_000),
            ("0.5Ki", false, Ordering::Greater, BinarySI, 512 * NANO),
            ("0.0001Ki", false, Ordering::Greater, DecimalSI, 102_400_000),
            (
                "1e3",
                false,
                Ordering::Greater,
                DecimalExponent,
                1000 * NANO,
            ),
        ];
        for &(input, zero, sign, format, nanos) in table {
            let got = q(input);
            assert_eq!(
                (got.is_zero(), got.sign(), got.format(), got.nanos()),
                (zero, sign, format, nanos),
                "{input}"
            );
        }
        assert_eq!(Quantity::default(), q("0"));
        assert_eq!("64Mi".parse::<Quantity>(), Ok(q("64Mi")));
        assert_eq!(format!("{:>6}", q("1Ki")), "   1Ki");
        assert_eq!(BinarySI.to_string(), "BinarySI");
    }

    // kubesim's own table, in the spirit of TestJSON in quantity_test.go:
    // parse(q.to_string()) == q, printing is idempotent, JSON round-trips.
    #[test]
    fn round_trip() {
        let table = [
            "0",
            "1",
            "-1",
            "250m",
            "64Mi",
            "1G",
            "1e3",
            "0.5",
            "1.5Gi",
            "1.5Ki",
            "1n",
            "-1n",
            "999999999n",
            "123456789.123456789",
            "1Ei",
            "7.5Ei",
            "9Ei",
            "-9Ei",
            "1e-9",
            "12e-4",
            "1000E",
            "123E",
            "1e24",
            "-1e24",
            "0.000000000001Ki",
            "100.035Ki",
            "1.7E18",
            "170141183460469231731687303715.884105727",
            "3.001n",
            "1023Ki",
            "1025Ki",
            "1.1Ki",
            "9223372036854775807",
            "9223372036854775808.1",
            "10E",
            "5.444T",
        ];
        for input in table {
            let first = q(input);
            let printed = first.to_string();
            let second = q(&printed);
            assert_eq!(second, first, "{input} -> {printed}");
            assert_eq!(second.to_string(), printed, "{input} -> {printed}");
            let json = serde_json::to_string(&first).expect("serialize");
            assert_eq!(json, format!("\"{printed}\""));
            assert_eq!(
                serde_json::from_str::<Quantity>(&json).expect("deserialize"),
                first
            );
        }
        // Constructed values, every format.
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for i in 0..3000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let raw = (x >> (i % 64)) as i128;
            let nanos = match i % 4 {
                0 => raw,
                1 => raw * NANO,
                2 => ((raw % 1024) << (10 * (i % 7))) * NANO,
                _ => -raw * 1000,
            };
            let format = [DecimalSI, BinarySI, DecimalExponent][i % 3];
            if format == BinarySI && nanos.unsigned_abs() > BINARY_SI_CAP {
                // Parsing caps BinarySI at 2^63-1, as upstream: no round trip.
                let capped = q(&Quantity::from_nanos(nanos, format)
                    .expect("in range")
                    .to_string());
                assert_eq!(capped.nanos().unsigned_abs(), BINARY_SI_CAP);
                continue;
            }
            let value = Quantity::from_nanos(nanos, format).expect("in range");
            let printed = value.to_string();
            let back = q(&printed);
            assert_eq!(back, value, "{nanos} {format} -> {printed}");
            assert_eq!(back.to_string(), printed, "{nanos} {format} -> {printed}");
        }
    }

    // Ported from TestJSONWhitespace in quantity_test.go, plus numbers and
    // strings as Kubernetes manifests write them.
    #[test]
    fn deserialize() {
        let table: &[(&str, &str, QuantityFormat)] = &[
            (r#"" 1""#, "1", DecimalSI),
            (r#""1 ""#, "1", DecimalSI),
            ("1", "1", DecimalSI),
            (" 1", "1", DecimalSI),
            ("1 ", "1", DecimalSI),
            ("10", "10", DecimalSI),
            ("-1", "-1", DecimalSI),
            (" -1", "-1", DecimalSI),
            // kubesim: integers and floats as YAML/JSON numbers
            ("4", "4", DecimalSI),
            ("0.5", "500m", DecimalSI),
            ("0.1", "100m", DecimalSI),
            ("1.5", "1500m", DecimalSI),
            ("-0.25", "-250m", DecimalSI),
            ("1e3", "1k", DecimalSI), // a float 1000.0 prints as "1000"
            ("2.5e-3", "2500u", DecimalSI),
            ("1e21", "1e21", DecimalSI),
            ("18446744073709551615", "18446744073709551615", DecimalSI),
            ("-9223372036854775808", "-9223372036854775808", DecimalSI),
            (r#""250m""#, "250m", DecimalSI),
            (r#""64Mi""#, "64Mi", BinarySI),
            (r#""1e3""#, "1e3", DecimalExponent),
        ];
        for &(json, want, format) in table {
            let got: Quantity =
                serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
            assert_eq!(got.to_string(), want, "{json}");
            assert_eq!(got.format(), format, "{json}");
        }
        let errors: &[(&str, &str)] = &[
            (
                r#""abc""#,
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
            ),
            (r#""1K""#, "unable to parse quantity's suffix"),
            (r#""1e40""#, "quantity is out of the supported range"),
            ("1e40", "quantity is out of the supported range"),
            ("true", "invalid type: boolean `true`, expected a quantity"),
            ("null", "invalid type: null, expected a quantity"),
        ];
        for &(json, want) in errors {
            let err = serde_json::from_str::<Quantity>(json).expect_err(json);
            assert!(err.to_string().starts_with(want), "{json}: {err}");
        }
    }
}

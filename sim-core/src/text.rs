//! Strings assembled from known parts with one allocation of the exact size, for the messages
//! and keys built on every pod lifecycle (`format!` guesses its capacity, regrows, and goes
//! through the formatting machinery for each piece).

use compact_str::CompactString;

/// The parts, concatenated.
pub fn concat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

/// `concat` into a `CompactString`: a result of up to 24 bytes is inline (no allocation).
pub fn concat_compact(parts: &[&str]) -> CompactString {
    let mut s = CompactString::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

/// Appends the decimal digits of `n` (as `{n}` formats it).
pub fn push_decimal(s: &mut String, n: i64) {
    s.push_str(decimal(n, &mut [0; 20]));
}

/// Writes the decimal digits of `v` into `buf` so that they end just before `end`; returns
/// where they start. `buf[..end]` must have room (20 bytes hold any u64).
pub fn digits_before(buf: &mut [u8], end: usize, mut v: u64) -> usize {
    let mut i = end;
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            return i;
        }
    }
}

/// The decimal digits of `n` (as `{n}` formats it), written into `buf`.
pub fn decimal(n: i64, buf: &mut [u8; 20]) -> &str {
    let mut i = digits_before(buf, 20, n.unsigned_abs());
    if n < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    // Only ASCII digits and '-' were written.
    std::str::from_utf8(&buf[i..]).unwrap_or_default()
}

/// Appends `n` in lower-case hexadecimal, zero-padded to `width` digits (as `{n:0width$x}`).
pub fn push_hex_padded(s: &mut String, n: u64, width: usize) {
    let digits = (64 - n.leading_zeros()).div_ceil(4).max(1) as usize;
    for _ in digits..width {
        s.push('0');
    }
    for i in (0..digits).rev() {
        let d = ((n >> (4 * i)) & 0xf) as u8;
        s.push(char::from(if d < 10 { b'0' + d } else { b'a' + d - 10 }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_format() {
        assert_eq!(concat(&["a", "", "bc"]), "abc");
        let short = concat_compact(&["Started container ", "app"]);
        assert_eq!(short, "Started container app");
        assert!(!short.is_heap_allocated(), "24 bytes or fewer are inline");
        let long = ["Created container: ", "a-rather-long-container-name"];
        assert_eq!(concat_compact(&long), concat(&long));
        for n in [0, 7, 10, 255, -1, -90, i64::MAX, i64::MIN] {
            let mut s = String::from("x");
            push_decimal(&mut s, n);
            assert_eq!(s, format!("x{n}"));
        }
        for n in [
            0u64,
            1,
            0xabc,
            0xffff_ffff_ffff,
            0x1_0000_0000_0000,
            u64::MAX,
        ] {
            let mut s = String::new();
            push_hex_padded(&mut s, n, 12);
            assert_eq!(s, format!("{n:012x}"));
        }
    }
}

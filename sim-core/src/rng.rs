//! Seeded randomness: one ChaCha stream per purpose.
//!
//! Every random draw in a run comes from a stream derived from the scenario seed and a stable
//! *purpose key* (for example `"scheduler/select-host"` or `"behaviour/default/web-0/nginx"`).
//! ChaCha has a 64-bit stream id, so each purpose gets its own independent sequence: adding a pod
//! creates a new stream instead of shifting the draws of every other pod.

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// A deterministic random stream. The algorithm is named explicitly (ChaCha8) because rand's
/// `StdRng` is documented as not value-stable across releases.
pub type SimRng = ChaCha8Rng;

/// Derives per-purpose streams from one scenario seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RngStreams {
    seed: u64,
}

impl RngStreams {
    pub fn new(seed: u64) -> Self {
        Self { seed }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The stream for `purpose`. The same (seed, purpose) always yields the same sequence.
    pub fn stream(&self, purpose: &str) -> SimRng {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(stable_hash(purpose));
        rng
    }
}

/// FNV-1a (64-bit): a hash whose value is fixed by its definition, unlike `std`'s `DefaultHasher`,
/// which may change between Rust releases and would silently change every stream.
pub fn stable_hash(key: &str) -> u64 {
    fnv1a(key.as_bytes())
}

/// FNV-1a over bytes.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// FNV-1a as a `Hasher`, for hash maps that are only probed, never iterated (iteration order
/// would depend on the hash).
#[derive(Clone, Copy, Debug)]
pub struct Fnv1aHasher(u64);

impl Default for Fnv1aHasher {
    fn default() -> Self {
        Fnv1aHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv1aHasher {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FnvBuildHasher = std::hash::BuildHasherDefault<Fnv1aHasher>;

/// FNV-1a over the parts, each followed by a 0 byte: the same value as `fnv1a` of their
/// concatenation, without building it.
pub fn fnv1a_parts(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// A hash of the parts eight bytes at a time (FxHash's rotate-xor-multiply step), for indexes
/// that are only probed and verify candidates field by field, so its value never affects a
/// result. Each part ends with its length, so ("ab", "c") and ("a", "bc") differ.
pub fn word_hash_parts(parts: &[&str]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut hash: u64 = 0;
    let mut add = |word: u64| hash = (hash.rotate_left(5) ^ word).wrapping_mul(K);
    for part in parts {
        let mut chunks = part.as_bytes().chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            add(u64::from_le_bytes(word));
        }
        add(part.len() as u64);
    }
    hash
}

/// A uniform integer in `0..n` (n > 0) without modulo bias (Lemire's widening multiply with
/// rejection), so tie-breaks do not depend on rand's sampling implementation.
pub fn uniform_below(rng: &mut SimRng, n: u64) -> u64 {
    debug_assert!(n > 0);
    if n <= 1 {
        return 0;
    }
    // Accept when the low half is >= 2^64 mod n. That threshold is below n, so the division
    // computing it is needed only when the low half is below n (Lemire's nearly divisionless
    // form; the same draws and results as always computing it).
    let mut threshold = None;
    loop {
        let x = rng.next_u64();
        let m = u128::from(x) * u128::from(n);
        let low = m as u64;
        if low >= n || low >= *threshold.get_or_insert_with(|| n.wrapping_neg() % n) {
            return (m >> 64) as u64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_hash_separates_part_boundaries_and_tails() {
        let h = word_hash_parts;
        assert_eq!(
            h(&["Pod", "default", "web-0"]),
            h(&["Pod", "default", "web-0"])
        );
        assert_ne!(h(&["ab", "c"]), h(&["a", "bc"]));
        assert_ne!(h(&["abcdefgh"]), h(&["abcdefgh", ""]));
        // A tail shorter than a word is not confused with the same bytes zero-padded.
        assert_ne!(h(&["abc"]), h(&["abc\0"]));
        assert_ne!(
            h(&["Pulled", "Successfully pulled image \"busybox:1.36\" in 1s"]),
            h(&["Pulled", "Successfully pulled image \"busybox:1.37\" in 1s"])
        );
    }

    #[test]
    fn same_seed_and_purpose_give_the_same_stream() {
        let a: Vec<u64> = (0..5)
            .map(|_| RngStreams::new(7).stream("x").next_u64())
            .collect();
        let mut s = RngStreams::new(7).stream("x");
        let first = s.next_u64();
        assert!(a.iter().all(|v| *v == first));
    }

    #[test]
    fn purposes_and_seeds_are_independent() {
        let s = RngStreams::new(7);
        assert_ne!(s.stream("a").next_u64(), s.stream("b").next_u64());
        assert_ne!(
            s.stream("a").next_u64(),
            RngStreams::new(8).stream("a").next_u64()
        );
    }

    #[test]
    fn fnv1a_matches_reference_vectors() {
        // Test vectors from the FNV reference (http://www.isthe.com/chongo/tech/comp/fnv/).
        assert_eq!(stable_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(stable_hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn uniform_below_stays_in_range_and_covers_it() {
        let mut rng = RngStreams::new(1).stream("u");
        let mut seen = [0u32; 3];
        for _ in 0..3000 {
            seen[uniform_below(&mut rng, 3) as usize] += 1;
        }
        assert!(seen.iter().all(|c| *c > 800), "{seen:?}");
    }
}

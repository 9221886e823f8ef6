//! Seeded duration distributions for behaviour models.
//!
//! Sampled values become integer nanoseconds immediately: floating point is confined to the
//! shape of a distribution (normal, log-normal, exponential) and never reaches the clock.

use std::fmt;

use rand_distr::{Distribution, Exp1, StandardNormal};
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::rng::{SimRng, uniform_below};
use crate::time::SimDuration;

/// A duration that is fixed or drawn from a seeded distribution.
///
/// Scenario syntax: a Go duration (`2s`) is fixed; otherwise a one-key map —
/// `{uniform: {min: 1s, max: 3s}}`, `{normal: {mean: 5s, stddev: 1s}}` (truncated at 0),
/// `{lognormal: {median: 5s, sigma: 0.5}}`, `{exponential: {mean: 10s}}`, or
/// `{empirical: [1s, 2s, 5s]}` (each listed value equally likely).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DurationDist {
    Fixed(SimDuration),
    Uniform {
        min: SimDuration,
        max: SimDuration,
    },
    Normal {
        mean: SimDuration,
        stddev: SimDuration,
    },
    Lognormal {
        median: SimDuration,
        sigma: f64,
    },
    Exponential {
        mean: SimDuration,
    },
    Empirical(Vec<SimDuration>),
}

impl DurationDist {
    pub fn fixed(d: SimDuration) -> Self {
        DurationDist::Fixed(d)
    }

    pub fn is_random(&self) -> bool {
        !matches!(self, DurationDist::Fixed(_))
    }

    /// Draws one value. Fixed durations consume no randomness, so making one duration random
    /// does not shift the draws of fixed ones.
    pub fn sample(&self, rng: &mut SimRng) -> SimDuration {
        match self {
            DurationDist::Fixed(d) => *d,
            DurationDist::Uniform { min, max } => {
                let span = max.as_nanos().saturating_sub(min.as_nanos());
                let offset = if span == u64::MAX {
                    uniform_below(rng, u64::MAX)
                } else {
                    uniform_below(rng, span + 1)
                };
                SimDuration::from_nanos(min.as_nanos() + offset)
            }
            DurationDist::Normal { mean, stddev } => {
                let z: f64 = StandardNormal.sample(rng);
                to_nanos(mean.as_nanos() as f64 + z * stddev.as_nanos() as f64)
            }
            DurationDist::Lognormal { median, sigma } => {
                let z: f64 = StandardNormal.sample(rng);
                to_nanos(median.as_nanos() as f64 * (sigma * z).exp())
            }
            DurationDist::Exponential { mean } => {
                let e: f64 = Exp1.sample(rng);
                to_nanos(mean.as_nanos() as f64 * e)
            }
            DurationDist::Empirical(values) => {
                if values.is_empty() {
                    return SimDuration::ZERO;
                }
                values[uniform_below(rng, values.len() as u64) as usize]
            }
        }
    }
}

fn to_nanos(x: f64) -> SimDuration {
    if x.is_nan() || x <= 0.0 {
        SimDuration::ZERO
    } else if x >= u64::MAX as f64 {
        SimDuration::MAX
    } else {
        SimDuration::from_nanos(x.round() as u64)
    }
}

impl fmt::Display for DurationDist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DurationDist::Fixed(d) => write!(f, "{d}"),
            DurationDist::Uniform { min, max } => write!(f, "uniform({min}..{max})"),
            DurationDist::Normal { mean, stddev } => {
                write!(f, "normal(mean {mean}, stddev {stddev})")
            }
            DurationDist::Lognormal { median, sigma } => {
                write!(f, "lognormal(median {median}, sigma {sigma})")
            }
            DurationDist::Exponential { mean } => write!(f, "exponential(mean {mean})"),
            DurationDist::Empirical(v) => {
                let items: Vec<String> = v.iter().map(|d| d.to_string()).collect();
                write!(f, "empirical[{}]", items.join(", "))
            }
        }
    }
}

const EXPECTED: &str = "a duration such as \"2s\", or one of {uniform: {min, max}}, \
{normal: {mean, stddev}}, {lognormal: {median, sigma}}, {exponential: {mean}}, {empirical: [..]}";

impl<'de> Deserialize<'de> for DurationDist {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DistVisitor)
    }
}

struct DistVisitor;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UniformArgs {
    min: SimDuration,
    max: SimDuration,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NormalArgs {
    mean: SimDuration,
    stddev: SimDuration,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LognormalArgs {
    median: SimDuration,
    sigma: f64,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExponentialArgs {
    mean: SimDuration,
}

impl<'de> Visitor<'de> for DistVisitor {
    type Value = DurationDist;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        v.parse::<SimDuration>()
            .map(DurationDist::Fixed)
            .map_err(E::custom)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<Self::Value, A::Error> {
        Err(de::Error::custom(format!(
            "a list is not a duration; expected {EXPECTED}"
        )))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let Some(key) = map.next_key::<String>()? else {
            return Err(de::Error::custom(format!("empty map; expected {EXPECTED}")));
        };
        let dist = match key.as_str() {
            "uniform" => {
                let a: UniformArgs = map.next_value()?;
                if a.min > a.max {
                    return Err(de::Error::custom(format!(
                        "uniform: min ({}) is greater than max ({})",
                        a.min, a.max
                    )));
                }
                DurationDist::Uniform {
                    min: a.min,
                    max: a.max,
                }
            }
            "normal" => {
                let a: NormalArgs = map.next_value()?;
                DurationDist::Normal {
                    mean: a.mean,
                    stddev: a.stddev,
                }
            }
            "lognormal" => {
                let a: LognormalArgs = map.next_value()?;
                if !(a.sigma.is_finite() && a.sigma >= 0.0) {
                    return Err(de::Error::custom(
                        "lognormal: sigma must be a finite number >= 0",
                    ));
                }
                DurationDist::Lognormal {
                    median: a.median,
                    sigma: a.sigma,
                }
            }
            "exponential" => {
                let a: ExponentialArgs = map.next_value()?;
                DurationDist::Exponential { mean: a.mean }
            }
            "empirical" => {
                let v: Vec<SimDuration> = map.next_value()?;
                if v.is_empty() {
                    return Err(de::Error::custom("empirical: needs at least one duration"));
                }
                DurationDist::Empirical(v)
            }
            "fixed" => DurationDist::Fixed(map.next_value()?),
            other => {
                return Err(de::Error::custom(format!(
                    "unknown distribution \"{other}\"; expected {EXPECTED}"
                )));
            }
        };
        if let Some(extra) = map.next_key::<String>()? {
            return Err(de::Error::custom(format!(
                "a distribution is a map with exactly one key, found a second key \"{extra}\""
            )));
        }
        Ok(dist)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::RngStreams;

    fn parse(json: &str) -> Result<DurationDist, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn parses_every_form() {
        assert_eq!(
            parse(r#""2s""#).unwrap(),
            DurationDist::Fixed(SimDuration::from_secs(2))
        );
        assert!(matches!(
            parse(r#"{"uniform": {"min": "1s", "max": "3s"}}"#).unwrap(),
            DurationDist::Uniform { .. }
        ));
        assert!(matches!(
            parse(r#"{"lognormal": {"median": "5s", "sigma": 0.5}}"#).unwrap(),
            DurationDist::Lognormal { .. }
        ));
        assert!(matches!(
            parse(r#"{"empirical": ["1s", "2s"]}"#).unwrap(),
            DurationDist::Empirical(_)
        ));
        assert!(
            parse(r#"{"gamma": {"k": 1}}"#)
                .unwrap_err()
                .to_string()
                .contains("unknown distribution")
        );
        assert!(parse(r#"{"uniform": {"min": "3s", "max": "1s"}}"#).is_err());
        assert!(parse("5").is_err());
    }

    #[test]
    fn samples_are_deterministic_and_in_range() {
        let d = parse(r#"{"uniform": {"min": "1s", "max": "3s"}}"#).unwrap();
        let draw = |seed| {
            let mut rng = RngStreams::new(seed).stream("t");
            (0..100).map(|_| d.sample(&mut rng)).collect::<Vec<_>>()
        };
        assert_eq!(draw(1), draw(1));
        assert_ne!(draw(1), draw(2));
        for s in draw(3) {
            assert!(s >= SimDuration::from_secs(1) && s <= SimDuration::from_secs(3));
        }
    }

    #[test]
    fn normal_is_truncated_at_zero_and_centred() {
        let d = DurationDist::Normal {
            mean: SimDuration::from_secs(1),
            stddev: SimDuration::from_secs(2),
        };
        let mut rng = RngStreams::new(9).stream("n");
        let samples: Vec<u64> = (0..4000).map(|_| d.sample(&mut rng).as_nanos()).collect();
        assert!(samples.contains(&0));
        let exp = DurationDist::Exponential {
            mean: SimDuration::from_secs(10),
        };
        let mean = (0..4000)
            .map(|_| exp.sample(&mut rng).as_secs())
            .sum::<u64>()
            / 4000;
        assert!((8..=12).contains(&mean), "{mean}");
    }
}

//! Numbers in expectations: counts with a comparison (`3`, `">=3"`, `"<2"`, `"3..7"`) and shares
//! of seeds (`"95%"`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An inclusive range of counts.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Count {
    pub min: u64,
    pub max: u64,
}

impl Count {
    pub const fn exactly(n: u64) -> Count {
        Count { min: n, max: n }
    }

    pub const AT_LEAST_ONE: Count = Count {
        min: 1,
        max: u64::MAX,
    };

    pub fn contains(&self, n: u64) -> bool {
        self.min <= n && n <= self.max
    }

    pub fn parse(text: &str) -> Result<Count, String> {
        let t = text.trim();
        let num = |s: &str| {
            s.trim().parse::<u64>().map_err(|_| {
                format!("expected a count like 3, \">=3\", \"<2\" or \"3..7\", found \"{text}\"")
            })
        };
        if let Some(r) = t.strip_prefix(">=") {
            return Ok(Count {
                min: num(r)?,
                max: u64::MAX,
            });
        }
        if let Some(r) = t.strip_prefix("<=") {
            return Ok(Count {
                min: 0,
                max: num(r)?,
            });
        }
        if let Some(r) = t.strip_prefix('>') {
            let n = num(r)?;
            return Ok(Count {
                min: n.saturating_add(1),
                max: u64::MAX,
            });
        }
        if let Some(r) = t.strip_prefix('<') {
            let n = num(r)?;
            if n == 0 {
                return Err(format!(
                    "\"{text}\" can never hold: counts are never negative"
                ));
            }
            return Ok(Count { min: 0, max: n - 1 });
        }
        if let Some((a, b)) = t.split_once("..") {
            let (min, max) = (num(a)?, num(b)?);
            if min > max {
                return Err(format!(
                    "empty range \"{text}\": write the smaller bound first"
                ));
            }
            return Ok(Count { min, max });
        }
        num(t).map(Count::exactly)
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.min, self.max) {
            (a, b) if a == b => write!(f, "{a}"),
            (a, u64::MAX) => write!(f, ">={a}"),
            (0, b) => write!(f, "<={b}"),
            (a, b) => write!(f, "{a}..{b}"),
        }
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            N(u64),
            S(String),
        }
        match Raw::deserialize(d).map_err(|_| {
            serde::de::Error::custom("expected a count like 3, \">=3\", \"<2\" or \"3..7\"")
        })? {
            Raw::N(n) => Ok(Count::exactly(n)),
            Raw::S(s) => Count::parse(&s).map_err(serde::de::Error::custom),
        }
    }
}

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A share of seeds, in tenths of a percent (`"95%"` is 950, `"99.5%"` is 995).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Share {
    pub permille: u32,
}

impl Share {
    pub fn parse(text: &str) -> Result<Share, String> {
        let bad = || format!("expected a percentage like \"95%\" or \"99.5%\", found \"{text}\"");
        let t = text.trim().strip_suffix('%').ok_or_else(bad)?;
        let (whole, tenth) = match t.split_once('.') {
            Some((w, f)) if f.len() == 1 => (w, f),
            Some(_) => return Err(bad()),
            None => (t, "0"),
        };
        let w: u32 = whole.parse().map_err(|_| bad())?;
        let f: u32 = tenth.parse().map_err(|_| bad())?;
        let permille = w * 10 + f;
        if permille > 1000 {
            return Err(format!("{text} is more than 100%"));
        }
        Ok(Share { permille })
    }

    /// Whether `passed` out of `total` reaches the share (exact integer arithmetic).
    pub fn reached(&self, passed: usize, total: usize) -> bool {
        (passed as u64) * 1000 >= u64::from(self.permille) * (total as u64)
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.permille.is_multiple_of(10) {
            write!(f, "{}%", self.permille / 10)
        } else {
            write!(f, "{}.{}%", self.permille / 10, self.permille % 10)
        }
    }
}

impl<'de> Deserialize<'de> for Share {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)
            .map_err(|_| serde::de::Error::custom("expected a percentage string like \"95%\""))?;
        Share::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Share {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        let r = |s: &str| Count::parse(s).map(|c| (c.min, c.max));
        assert_eq!(r("3"), Ok((3, 3)));
        assert_eq!(r(">=3"), Ok((3, u64::MAX)));
        assert_eq!(r(">3"), Ok((4, u64::MAX)));
        assert_eq!(r("<= 2"), Ok((0, 2)));
        assert_eq!(r("<2"), Ok((0, 1)));
        assert_eq!(r("3..7"), Ok((3, 7)));
        assert!(r("<0").is_err());
        assert!(r("7..3").is_err());
        assert!(r("three").is_err());
        assert_eq!(Count::parse(">=5").map(|c| c.to_string()), Ok(">=5".into()));
    }

    #[test]
    fn shares() {
        assert_eq!(Share::parse("95%"), Ok(Share { permille: 950 }));
        assert_eq!(Share::parse("99.5%"), Ok(Share { permille: 995 }));
        assert!(Share::parse("95").is_err());
        assert!(Share::parse("101%").is_err());
        let s = Share { permille: 950 };
        assert!(s.reached(95, 100));
        assert!(!s.reached(94, 100));
        assert!(s.reached(48, 50));
        assert!(!s.reached(47, 50));
    }
}

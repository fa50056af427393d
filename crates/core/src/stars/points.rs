//! Scores (分数) with at most two decimals, kept exact as hundredths so that
//! a threshold of 80 is met by 80.00 and never missed by a rounding error.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A score in hundredths of a point: `Points(8550)` is 85.5 points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Points(pub i64);

impl Points {
    pub const ZERO: Points = Points(0);

    /// Whole points.
    pub const fn whole(n: i64) -> Points {
        Points(n * 100)
    }

    /// Parses `85`, `85.5` or `85.25` (spaces and a trailing 分 allowed).
    pub fn parse(value: &str) -> Result<Points, String> {
        let v = value.trim().trim_end_matches('分').trim();
        let bad =
            || format!("“{v}” 不是有效的分数，应为数字，最多两位小数 (a score is a number with at most two decimals)");
        if v.is_empty() {
            return Err("不能为空 (required)".into());
        }
        let (neg, digits) = match v.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, v),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty() && frac.is_empty() {
            return Err(bad());
        }
        if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        if frac.len() > 2 || whole.len() > 12 {
            return Err(bad());
        }
        let w: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
        let f: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| bad())? * 10,
            _ => frac.parse().map_err(|_| bad())?,
        };
        let n = w * 100 + f;
        Ok(Points(if neg { -n } else { n }))
    }

    /// An optional score: empty text is `None`.
    pub fn parse_optional(value: Option<&str>) -> Result<Option<Points>, String> {
        match value.map(str::trim) {
            None | Some("") => Ok(None),
            Some(v) => Points::parse(v).map(Some),
        }
    }

    /// The nearest score to a number (for numbers in JSON).
    pub fn from_f64(v: f64) -> Option<Points> {
        if !v.is_finite() || v.abs() > 1e12 {
            return None;
        }
        Some(Points((v * 100.0).round() as i64))
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// `value × part / whole`, rounded half away from zero to a hundredth
    /// (a weighted indicator's share). `whole` must be positive.
    pub fn scale(self, part: Points, whole: Points) -> Points {
        if whole.0 <= 0 {
            return Points::ZERO;
        }
        let n = i128::from(self.0) * i128::from(part.0);
        let d = i128::from(whole.0);
        let q = (2 * n.abs() + d) / (2 * d);
        Points((if n < 0 { -q } else { q }) as i64)
    }
}

impl std::ops::Add for Points {
    type Output = Points;
    fn add(self, o: Points) -> Points {
        Points(self.0 + o.0)
    }
}

impl std::ops::Sub for Points {
    type Output = Points;
    fn sub(self, o: Points) -> Points {
        Points(self.0 - o.0)
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        Points(iter.map(|p| p.0).sum())
    }
}

/// `85`, `85.5`, `85.25`: no trailing zeros.
impl std::fmt::Display for Points {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let (w, h) = (a / 100, a % 100);
        match h {
            0 => write!(f, "{sign}{w}"),
            h if h % 10 == 0 => write!(f, "{sign}{w}.{}", h / 10),
            h => write!(f, "{sign}{w}.{h:02}"),
        }
    }
}

/// A plain JSON number of points (85.5), as people read and write scores.
impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 % 100 == 0 { s.serialize_i64(self.0 / 100) } else { s.serialize_f64(self.as_f64()) }
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Points, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Num(f64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Int(n) => Ok(Points::whole(n)),
            Raw::Num(v) => Points::from_f64(v).ok_or_else(|| serde::de::Error::custom("score out of range")),
            Raw::Text(t) => Points::parse(&t).map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_exactly() {
        for (text, hundredths, shown) in
            [("85", 8500, "85"), ("85.5", 8550, "85.5"), ("85.25", 8525, "85.25"), ("0.05", 5, "0.05")]
        {
            let p = Points::parse(text).unwrap();
            assert_eq!(p.0, hundredths, "{text}");
            assert_eq!(p.to_string(), shown);
        }
        assert_eq!(Points::parse(" 90分 ").unwrap(), Points::whole(90));
        assert_eq!(Points::parse("-2.5").unwrap(), Points(-250));
        for bad in ["", "abc", "85.125", "8,5", "1e3", ".", "--1"] {
            assert!(Points::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Points::parse_optional(Some("  ")).unwrap(), None);
    }

    #[test]
    fn json_is_a_plain_number() {
        let v = serde_json::to_value(Points(8550)).unwrap();
        assert_eq!(v, serde_json::json!(85.5));
        assert_eq!(serde_json::to_value(Points::whole(20)).unwrap(), serde_json::json!(20));
        let p: Points = serde_json::from_value(serde_json::json!(85.25)).unwrap();
        assert_eq!(p, Points(8525));
        let p: Points = serde_json::from_value(serde_json::json!("7.5")).unwrap();
        assert_eq!(p, Points(750));
    }

    #[test]
    fn scaling_rounds_to_a_hundredth() {
        // 7 of 10 points weighted 15: 10.5.
        assert_eq!(Points::whole(7).scale(Points::whole(15), Points::whole(10)), Points(1050));
        // 1 of 3 weighted 10: 3.33.
        assert_eq!(Points::whole(1).scale(Points::whole(10), Points::whole(3)), Points(333));
        assert_eq!(Points::whole(2).scale(Points::whole(10), Points::whole(3)), Points(667));
        assert_eq!(Points::whole(5).scale(Points::whole(10), Points::ZERO), Points::ZERO);
    }
}

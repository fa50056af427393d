//! People (人员): party members, probationary members, league members and
//! staff, each belonging to one unit. Phone, ID number and birth date are
//! personal data, shown only to those who need them.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::{Checker, Invalid, optional_text, required_text};
use crate::ids::{PersonId, UnitId};

/// 人员类别.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 正式党员
    Full,
    /// 预备党员
    Probationary,
    /// 团员
    League,
    /// 群众
    Staff,
}

impl Category {
    pub const ALL: [Category; 4] = [Category::Full, Category::Probationary, Category::League, Category::Staff];

    pub fn code(self) -> &'static str {
        match self {
            Category::Full => "full",
            Category::Probationary => "probationary",
            Category::League => "league",
            Category::Staff => "staff",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Category::Full => "正式党员",
            Category::Probationary => "预备党员",
            Category::League => "团员",
            Category::Staff => "群众",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Category::Full => "Full member",
            Category::Probationary => "Probationary member",
            Category::League => "League member",
            Category::Staff => "Staff",
        }
    }

    /// Full and probationary members are the party members figures count.
    pub fn is_member(self) -> bool {
        matches!(self, Category::Full | Category::Probationary)
    }

    pub fn parse(value: &str) -> Result<Self, String> {
        let v = value.trim();
        Self::ALL
            .into_iter()
            .find(|c| c.code() == v || c.zh() == v || c.en().eq_ignore_ascii_case(v))
            .or(match v {
                "党员" => Some(Category::Full),
                "共青团员" => Some(Category::League),
                "员工" => Some(Category::Staff),
                _ => None,
            })
            .ok_or_else(|| format!("未知的人员类别 “{v}”，应为 正式党员/预备党员/团员/群众 (unknown category)"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }

    pub fn parse(value: &str) -> Result<Self, String> {
        match value.trim() {
            "男" | "male" | "M" | "m" => Ok(Gender::Male),
            "女" | "female" | "F" | "f" => Ok(Gender::Female),
            v => Err(format!("性别应为 男 或 女，而不是 “{v}” (gender must be 男 or 女)")),
        }
    }
}

/// A person as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    pub id: PersonId,
    pub unit_id: UnitId,
    #[serde(flatten)]
    pub fields: PersonFields,
}

/// Validated fields of a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonFields {
    pub name: String,
    pub gender: Option<Gender>,
    pub category: Category,
    pub join_date: Option<Date>,
    pub post: Option<String>,
    /// Personal: visible only to the person and to admins of their unit.
    pub birth_date: Option<Date>,
    /// Personal.
    pub phone: Option<String>,
    /// Personal.
    pub id_number: Option<String>,
}

/// A person as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonInput {
    pub name: String,
    pub gender: Option<String>,
    pub category: String,
    pub join_date: Option<String>,
    pub post: Option<String>,
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
}

impl PersonInput {
    pub fn validate(&self) -> Result<PersonFields, Invalid> {
        let mut c = Checker::default();
        let name = c.take("name", required_text(&self.name, 50));
        let gender = c.take(
            "gender",
            match self.gender.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(g) => Gender::parse(g).map(Some),
            },
        );
        let category = c.take("category", Category::parse(&self.category));
        let join_date = c.take("join_date", crate::date::parse_optional(self.join_date.as_deref()));
        let post = c.take("post", optional_text(self.post.as_deref(), 50));
        let birth_date = c.take("birth_date", crate::date::parse_optional(self.birth_date.as_deref()));
        let phone = c.take("phone", parse_phone(self.phone.as_deref()));
        let id_number = c.take("id_number", parse_id_number(self.id_number.as_deref()));
        if let (Some(Some(b)), Some(Some(j))) = (birth_date, join_date)
            && j < b
        {
            c.push("join_date", "入党日期不能早于出生日期 (join date before birth date)");
        }
        c.finish()?;
        Ok(PersonFields {
            name: name.unwrap(),
            gender: gender.unwrap(),
            category: category.unwrap(),
            join_date: join_date.unwrap(),
            post: post.unwrap(),
            birth_date: birth_date.unwrap(),
            phone: phone.unwrap(),
            id_number: id_number.unwrap(),
        })
    }
}

/// A phone number: digits, optionally with `+`, `-` and spaces, 5–20 characters.
fn parse_phone(value: Option<&str>) -> Result<Option<String>, String> {
    let Some(v) = optional_text(value, 20)? else {
        return Ok(None);
    };
    let digits = v.chars().filter(char::is_ascii_digit).count();
    if digits < 5 || !v.chars().all(|c| c.is_ascii_digit() || "+- ".contains(c)) {
        return Err(format!("电话号码 “{v}” 格式不正确 (not a phone number)"));
    }
    Ok(Some(v))
}

/// A mainland resident ID number: 18 characters, the last a digit or X, with a valid check digit.
fn parse_id_number(value: Option<&str>) -> Result<Option<String>, String> {
    let Some(v) = optional_text(value, 18)? else {
        return Ok(None);
    };
    let v = v.to_ascii_uppercase();
    let bad = || format!("身份证号 “{v}” 不正确 (invalid ID number)");
    let bytes = v.as_bytes();
    if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
        return Err(bad());
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = bytes[..17].iter().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    if bytes[17] != CHECK[(sum % 11) as usize] {
        return Err(bad());
    }
    Ok(Some(v))
}

/// A personal number as pages show it until it is revealed: the first three
/// and last four characters, the rest starred (`139****1234`).
pub fn masked(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// Appends the check digit to the first 17 digits of an ID number (used by the demo generator).
pub fn id_number_with_check(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b.wrapping_sub(b'0')) * w).sum();
    format!("{first17}{}", CHECK[(sum % 11) as usize] as char)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> PersonInput {
        PersonInput { name: "张三".into(), category: "正式党员".into(), ..Default::default() }
    }

    #[test]
    fn a_number_is_masked_but_for_its_ends() {
        assert_eq!(masked("13900001234"), "139****1234");
        assert_eq!(masked("350102199001011234"), "350***********1234");
        assert_eq!(masked("1234567"), "*******");
        assert_eq!(masked(""), "");
    }

    #[test]
    fn a_minimal_person_is_valid() {
        let p = input().validate().unwrap();
        assert_eq!(p.category, Category::Full);
        assert!(p.category.is_member());
    }

    #[test]
    fn id_numbers_are_checked() {
        let good = id_number_with_check("11010519491231002");
        assert_eq!(good, "11010519491231002X");
        let mut i = input();
        i.id_number = Some(good.to_lowercase());
        assert_eq!(i.validate().unwrap().id_number.as_deref(), Some(good.as_str()));
        i.id_number = Some("110105194912310021".into());
        assert_eq!(i.validate().unwrap_err().errors[0].field, "id_number");
    }

    #[test]
    fn bad_values_are_named() {
        let mut i = input();
        i.category = "党外".into();
        i.phone = Some("abc".into());
        i.join_date = Some("2020-13-01".into());
        let fields: Vec<_> = i.validate().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["category", "join_date", "phone"]);
    }
}

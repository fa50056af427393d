//! Chinese names for generated people and ordinal numerals for unit names.

use qizhi_core::person::Gender;

use crate::rng::Rng;

/// Common surnames, most frequent first.
#[rustfmt::skip]
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯",
    "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴",
    "莫", "孔", "向", "汤", "常", "温", "康", "施", "文", "牛", "樊", "葛", "邢", "安", "齐", "易",
];

const COMPOUND_SURNAMES: &[&str] = &["欧阳", "司马", "上官", "诸葛", "慕容", "司徒"];

#[rustfmt::skip]
const MALE: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
    "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林", "建", "国", "志",
    "东", "峰", "亮", "成", "锋", "晨", "博", "阳", "昊", "轩", "睿", "哲", "泽", "晖", "毅", "彬",
    "振", "良", "庆", "海", "兵", "瑞", "森", "坤", "江", "洋",
];

#[rustfmt::skip]
const FEMALE: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "丹", "萍", "红", "梅", "琳", "雪",
    "婷", "慧", "莹", "倩", "颖", "洁", "琴", "云", "兰", "欣", "悦", "怡", "佳", "璐", "瑶", "蕾",
    "晶", "媛", "薇", "月", "露", "菲", "楠", "莉", "秀", "英", "洋", "妍",
];

/// First characters that suit either gender.
#[rustfmt::skip]
const EITHER: &[&str] = &[
    "晓", "小", "子", "思", "雨", "佳", "一", "心", "嘉", "家", "立", "永", "春", "秋", "文", "新",
    "天", "金", "玉", "海", "志", "建", "丽", "俊", "明", "红",
];

/// A plausible name: a surname (frequent ones more often) and a one- or two-character given name.
pub fn person_name(rng: &mut Rng, gender: Gender) -> String {
    let surname = if rng.chance(0.004) {
        rng.pick(COMPOUND_SURNAMES)
    } else {
        // Squaring a uniform draw favours the head of the frequency list.
        let u = rng.fraction();
        SURNAMES[(u * u * SURNAMES.len() as f64) as usize]
    };
    let chars = match gender {
        Gender::Male => MALE,
        Gender::Female => FEMALE,
    };
    let mut name = String::with_capacity(12);
    name.push_str(surname);
    if rng.chance(0.75) {
        name.push_str(if rng.chance(0.4) { rng.pick(EITHER) } else { rng.pick(chars) });
    }
    name.push_str(rng.pick(chars));
    name
}

/// 一, 二 … 九十九: the ordinals in 第一党支部, 第二党小组.
pub fn zh_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[(n % 10) as usize] }),
        20..=99 => format!(
            "{}十{}",
            DIGITS[(n / 10) as usize],
            if n.is_multiple_of(10) { "" } else { DIGITS[(n % 10) as usize] }
        ),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        let got: Vec<_> = [1, 10, 11, 20, 23, 99, 120].map(zh_number).into();
        assert_eq!(got, ["一", "十", "十一", "二十", "二十三", "九十九", "120"]);
    }

    #[test]
    fn names_have_two_to_four_characters() {
        let mut rng = Rng::for_key("names");
        for i in 0..2000 {
            let g = if i % 2 == 0 { Gender::Male } else { Gender::Female };
            let n = person_name(&mut rng, g).chars().count();
            assert!((2..=4).contains(&n));
        }
    }
}

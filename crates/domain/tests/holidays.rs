//! The holiday rules of `calendar` checked against the published table of Japanese holidays,
//! 2000–2050, day by day (`data/README.md` says where the table comes from).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use madoguchi_domain::calendar::{
    CITIZENS_HOLIDAY, SUBSTITUTE_HOLIDAY, holiday_name, is_business_day, is_holiday,
};

const TABLE: &str = include_str!("data/holidays-2000-2050.csv");

fn published() -> BTreeMap<NaiveDate, &'static str> {
    let mut lines = TABLE.lines();
    assert_eq!(lines.next(), Some("date,name"));
    lines
        .map(|line| {
            let (date, name) = line.split_once(',').expect("a date,name row");
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("a YYYY-MM-DD date");
            (date, name)
        })
        .collect()
}

/// The name we give a holiday that the table names `published`. The table writes substitute
/// holidays as `<祝日名> 振替休日` and citizens' holidays as `休日`. It follows the Cabinet Office
/// for the 2019 special days and for the renaming note on 2019-10-14.
fn our_name(date: NaiveDate, published: &str) -> &str {
    match (date.format("%Y-%m-%d").to_string().as_str(), published) {
        ("2019-05-01", "休日（祝日扱い）") => "天皇の即位の日",
        ("2019-10-22", "休日（祝日扱い）") => "即位礼正殿の儀の行われる日",
        ("2019-10-14", "体育の日（スポーツの日）") => "体育の日",
        (_, "休日") => CITIZENS_HOLIDAY,
        (_, name) if name.ends_with(" 振替休日") => SUBSTITUTE_HOLIDAY,
        _ => published,
    }
}

fn every_day_2000_to_2050() -> impl Iterator<Item = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(2050, 12, 31).unwrap();
    first.iter_days().take_while(move |d| *d <= last)
}

#[test]
fn the_table_is_complete() {
    let table = published();
    assert_eq!(table.len(), 895);
    assert_eq!(
        table.keys().next(),
        NaiveDate::from_ymd_opt(2000, 1, 1).as_ref()
    );
    assert_eq!(
        table.keys().last(),
        NaiveDate::from_ymd_opt(2050, 11, 23).as_ref()
    );
}

#[test]
fn is_holiday_matches_the_published_table_every_day_2000_to_2050() {
    let table = published();
    let wrong: Vec<String> = every_day_2000_to_2050()
        .filter(|date| is_holiday(*date) != table.contains_key(date))
        .map(|date| {
            format!(
                "{date}: ours {:?}, table {:?}",
                holiday_name(date),
                table.get(&date)
            )
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} days differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn holiday_names_match_the_published_table() {
    let wrong: Vec<String> = published()
        .into_iter()
        .filter(|&(date, name)| holiday_name(date) != Some(our_name(date, name)))
        .map(|(date, name)| format!("{date}: ours {:?}, table {name}", holiday_name(date)))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} names differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn holiday_name_is_some_exactly_on_holidays() {
    for date in every_day_2000_to_2050() {
        assert_eq!(holiday_name(date).is_some(), is_holiday(date), "{date}");
    }
}

#[test]
fn business_days_are_the_weekdays_off_the_table() {
    use chrono::{Datelike, Weekday};
    let table = published();
    for date in every_day_2000_to_2050() {
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        assert_eq!(
            is_business_day(date),
            !weekend && !table.contains_key(&date),
            "{date}"
        );
    }
}

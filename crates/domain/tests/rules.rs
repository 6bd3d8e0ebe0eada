//! The rules of DESIGN §2 through the crate's public API, at the edges the unit tests next to
//! each rule leave open: exact length limits, every part of a rule that joins conditions, and
//! the inputs a member or an operator actually types. Each test names the rule it holds.

use chrono::NaiveDate;
use madoguchi_domain::{
    Lang, RuleError,
    birth_date::BirthDate,
    contact::{Contact, MAX_CHARS, parse_phone, parse_text, parse_url},
    email::Email,
    roster::{RosterEntry, RosterInput},
};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 15).expect("a real date")
}

fn birth_date(raw: &str) -> Result<String, RuleError> {
    BirthDate::parse(raw, today()).map(|d| d.to_compact())
}

// --- 生年月日 (birth date) -----------------------------------------------------------------

#[test]
fn an_era_initial_with_gannen_is_the_first_year_of_that_era() {
    // Members write 元年 (the first year) after the era's initial as after its name.
    assert_eq!(birth_date("H元.1.8"), Ok("19890108".into()));
    assert_eq!(birth_date("R元年5月1日"), Ok("20190501".into()));
    assert_eq!(birth_date("s元/12/25"), Ok("19261225".into()));
}

#[test]
fn a_word_starting_with_an_era_initial_is_not_an_era_date() {
    // "Sep" starts with S (昭和) and "H" is 平成, but neither is followed by a year.
    for bad in ["Sep/8/22", "Hx.1.8", "S.54.8.22"] {
        assert_eq!(birth_date(bad), Err(RuleError::BirthDateFormat), "{bad}");
    }
}

// --- メールアドレス (e-mail) ------------------------------------------------------------------

#[test]
fn a_top_level_domain_is_letters_only_however_long() {
    for bad in [
        "taro@example.co1jp",
        "taro@example.12345",
        "taro@example.museum9",
    ] {
        assert_eq!(Email::parse(bad), Err(RuleError::EmailInvalid), "{bad}");
    }
    assert!(Email::parse("taro@example.museum").is_ok());
    // An internationalised TLD in its ASCII (xn--) form has digits and is fine.
    assert!(Email::parse("taro@example.xn--q9jyb4c").is_ok());
}

// --- 問い合わせ先 (the kenpo's contact) ------------------------------------------------------

#[test]
fn a_contact_with_any_one_part_set_is_not_empty() {
    let some = || Some("x".to_owned());
    let one_part = [
        Contact {
            name: some(),
            ..Contact::default()
        },
        Contact {
            phone: some(),
            ..Contact::default()
        },
        Contact {
            hours: some(),
            ..Contact::default()
        },
        Contact {
            url: some(),
            ..Contact::default()
        },
    ];
    for contact in one_part {
        assert!(!contact.is_empty(), "{contact:?}");
    }
    assert!(Contact::default().is_empty());
}

#[test]
fn a_contact_name_or_hours_may_be_exactly_100_characters() {
    let at_limit = "窓".repeat(MAX_CHARS);
    assert_eq!(parse_text(&at_limit), Ok(Some(at_limit.clone())));
    assert_eq!(
        parse_text(&format!("{at_limit}口")),
        Err(RuleError::ContactTooLong { max: MAX_CHARS })
    );
}

#[test]
fn a_phone_number_has_a_plus_only_at_its_start() {
    assert_eq!(
        parse_phone("+81-3-1234-5678"),
        Ok(Some("+81-3-1234-5678".into()))
    );
    for bad in ["03+1234+5678", "x0312345678", "#0312345678"] {
        assert_eq!(parse_phone(bad), Err(RuleError::ContactPhone), "{bad}");
    }
}

#[test]
fn a_contact_page_address_is_at_most_200_characters() {
    let prefix = "https://kenpo.example.jp/";
    let at_limit = format!("{prefix}{}", "a".repeat(200 - prefix.len()));
    assert_eq!(at_limit.len(), 200);
    assert_eq!(parse_url(&at_limit), Ok(Some(at_limit.clone())));
    assert_eq!(
        parse_url(&format!("{at_limit}b")),
        Err(RuleError::ContactUrl)
    );
}

// --- 名簿 (roster) -------------------------------------------------------------------------

#[test]
fn a_roster_row_without_a_family_name_is_refused_even_when_all_else_is_right() {
    let row = RosterInput {
        member_code: "12-345-01",
        family_name: " \u{3000}",
        given_name: "太郎",
        family_name_kana: "ヤマダ",
        given_name_kana: "タロウ",
        birth_date: "19790822",
        postal_code: "123-4567",
        address: "東京都千代田区千代田1-1",
    };
    let errors = RosterEntry::parse(row, today()).err().unwrap_or_default();
    let fields: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.field, e.error.code().as_str()))
        .collect();
    assert_eq!(fields, [("family_name", "name_required")]);
}

// --- 言語 (the language of messages) -----------------------------------------------------------

#[test]
fn languages_are_named_by_their_bcp_47_tags() {
    // What `Content-Language` carries and the SPA reads.
    assert_eq!(Lang::Ja.as_str(), "ja");
    assert_eq!(Lang::En.as_str(), "en");
}

#[test]
fn a_quality_of_one_is_the_strongest_preference() {
    assert_eq!(Lang::from_accept_language("ja;q=0.5, en;q=1"), Lang::En);
    assert_eq!(Lang::from_accept_language("ja;q=0.9, en;q=1.000"), Lang::En);
}

#[test]
fn a_quality_with_more_than_three_decimals_is_unreadable_and_ignored() {
    // RFC 9110 allows at most three decimals; an unreadable value is no preference at all.
    assert_eq!(
        Lang::from_accept_language("en;q=0.1234, ja;q=0.1"),
        Lang::Ja
    );
    assert_eq!(Lang::from_accept_language("en;q=0.5x, ja;q=0.1"), Lang::Ja);
}

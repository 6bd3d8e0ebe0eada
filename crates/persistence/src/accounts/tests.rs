//! Test helpers for the tables that hang off accounts.

use chrono::Utc;
use madoguchi_domain::insurer_number::InsurerNumber;
use madoguchi_domain::roster::{RosterEntry, RosterInput};

use crate::db::Conn;
use crate::members::Member;

/// A tenant with one member, for the tests of the tables that hang off accounts.
pub(crate) fn member(conn: &mut Conn) -> Member {
    let now = Utc::now();
    let tenant =
        crate::tenants::insert(conn, &InsurerNumber::parse("06130090").unwrap(), "A", now).unwrap();
    let entry = RosterEntry::parse(
        RosterInput {
            member_code: "1-1-00",
            family_name: "髙橋",
            given_name: "",
            family_name_kana: "",
            given_name_kana: "",
            birth_date: "19790822",
            postal_code: "",
            address: "",
        },
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
    )
    .unwrap();
    crate::members::import(conn, &tenant.id, &[entry], false, now).unwrap();
    crate::members::find_by_code(conn, &tenant.id, "1-1-00")
        .unwrap()
        .unwrap()
}

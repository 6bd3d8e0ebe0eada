//! The maintenance calendar: Japanese public holidays, business days, the monthly maintenance
//! windows and the nightly closure (DESIGN §2, "maintenance").
//!
//! # Holidays
//! The holidays are those of 国民の祝日に関する法律 (祝日法, 昭和23年法律第178号) as amended.
//! They are kept as rules in code and checked against the published table for 2000–2050
//! (`tests/holidays.rs`, `tests/data/README.md` says where the table comes from). No crate
//! that builds on our toolchain gets every one of those dates right (DESIGN §8). The rules are:
//! - the days of 祝日法 §2, each with the era it applies to. The Happy Monday amendments
//!   (平成10年法律第141号 from 2000: 成人の日, 体育の日; 平成13年法律第59号 from 2003: 海の日,
//!   敬老の日). 山の日 from 2016. 昭和の日 and みどりの日 on 5/4 from 2007. 天皇誕生日 on 12/23
//!   until 2018, none in 2019, and 2/23 from 2020. 体育の日 renamed スポーツの日 from 2020;
//! - 春分の日 and 秋分の日 by the standard formula for 1980–2099. The law names only the
//!   equinox, and the Cabinet Office announces the day a year ahead;
//! - 振替休日 (§3 ②) and 国民の休日 (§3 ③), with their pre-2007 wording;
//! - the one-off changes. 2019: 天皇の即位の日 (5/1) and 即位礼正殿の儀の行われる日 (10/22),
//!   by 平成30年法律第99号. These made 4/30 and 5/2 citizens' holidays. 2020 and 2021: 海の日,
//!   スポーツの日 and 山の日 moved for the Tokyo Olympics (東京オリンピック・パラリンピック
//!   特別措置法, amended by 平成30年法律第57号 and 令和2年法律第68号).
//!
//! The rules are right for 2000–2099. Years before 2000 had other rules (成人の日 on 1/15, for
//! example), which are not modelled.
//!
//! # Maintenance windows
//! Every month on the 25th, 21:00–24:00 JST. When the 25th is not a business day, the window
//! moves to the nearest earlier business day. Windows are half-open, so the monthly one ends at
//! the next day's `T00:00`. JST is `Asia/Tokyo` (`Tokyo`), +09:00 all year.

mod era;
mod error;
mod holidays;
mod in_force;
mod maintenance;
mod national_days;
mod time;
mod window;

pub use era::{ERAS, Era, EraDateError};
pub use error::WindowError;
pub use holidays::{
    CITIZENS_HOLIDAY, SUBSTITUTE_HOLIDAY, holiday_name, is_business_day, is_holiday,
};
pub use in_force::{active_window, next_window, reopens_at};
pub use maintenance::{PLANNED_DAY, STARTS_AT_HOUR, monthly_window, monthly_window_day, schedule};
pub use national_days::{autumnal_equinox_day, vernal_equinox_day};
pub use time::{Tokyo, format_time, in_nightly_closure, parse_time};
pub use window::MaintenanceWindow;

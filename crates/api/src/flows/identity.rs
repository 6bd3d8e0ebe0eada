//! The identity check (本人確認, DESIGN §2): insurer number and birth date against the roster,
//! and the terms agreed. Shape errors are 422 and never count; a well-formed number of another
//! tenant or another birth date is 401 `identity_mismatch` and counts toward the lockout.

use madoguchi_domain::birth_date::BirthDate;
use madoguchi_domain::calendar;
use madoguchi_domain::insurer_number::InsurerNumber;
use madoguchi_domain::onboarding::{Event, Flow, Step};
use madoguchi_domain::{FieldError, RuleError, terms};
use madoguchi_persistence::{accounts, terms as stored_terms, write_tx};

use crate::error::{ApiError, FieldIssue};
use crate::flows::lockout::{self, Failed};
use crate::json::gathered;
use crate::session::Session;
use crate::state::AppState;
use crate::throttle;
use crate::tokens::Issued;

pub struct IdentityInput {
    /// The body's shape issues (missing or oversized fields), gathered with the rules'.
    pub shape: Vec<FieldIssue>,
    pub insurer_number: Option<String>,
    pub birth_date: Option<String>,
    pub agree_to_terms: Option<bool>,
    pub terms_version: Option<String>,
}

/// Every field problem at once; the terms version is checked against `current`.
fn parse(
    input: &IdentityInput,
    today: chrono::NaiveDate,
    current: &str,
) -> Result<(InsurerNumber, BirthDate), ApiError> {
    let mut issues: Vec<FieldIssue> = Vec::new();
    let mut field = |name: &'static str, e: RuleError| {
        issues.push(
            FieldError {
                field: name,
                error: e,
            }
            .into(),
        )
    };
    let number = InsurerNumber::parse(input.insurer_number.as_deref().unwrap_or(""))
        .map_err(|e| field("insurer_number", e))
        .ok();
    let birth = BirthDate::parse(input.birth_date.as_deref().unwrap_or(""), today)
        .map_err(|e| field("birth_date", e))
        .ok();
    let accepted = terms::accept(
        input.agree_to_terms.unwrap_or(false),
        input.terms_version.as_deref().unwrap_or(""),
        current,
    );
    let outdated = match accepted {
        Err(RuleError::TermsOutdated { current }) => Some(current),
        Err(e) => {
            field("agree_to_terms", e);
            None
        }
        Ok(_) => None,
    };
    let issues = gathered(input.shape.clone(), issues);
    match (number, birth) {
        (Some(n), Some(b)) if issues.is_empty() => match outdated {
            Some(version) => Err(ApiError::TermsOutdated { version }),
            None => Ok((n, b)),
        },
        _ => Err(ApiError::Validation(issues)),
    }
}

pub async fn check(
    state: &AppState,
    session: Session,
    input: IdentityInput,
    client: String,
) -> Result<Issued, ApiError> {
    session.at_step(Step::VerifyIdentity)?;
    let now = state.clock.now();
    let today = now.with_timezone(&calendar::jst()).date_naive();
    let view = session.view.clone();
    let tenant_id = view.tenant.id.clone();
    let current = state
        .db(move |c| Ok(stored_terms::current(c, Some(&tenant_id))?))
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no terms published")))?;
    let (number, birth) = parse(&input, today, &current.version)?;
    let matches = number.as_str() == view.tenant.insurer_number
        && birth.to_compact() == view.member.birth_date;
    let credential = session.credential.clone().ok_or(ApiError::SessionRevoked)?;
    let flow = Flow::new(
        view.account.state,
        view.account.user_id.is_some(),
        Some(credential.expires_at),
    )
    .with_step(Some(session.step));
    let domain = state.config.mail_domain.clone();
    let version = current.version.clone();
    state
        .db(move |c| {
            write_tx(c, |c| {
                // Both reservations roll back together when either refuses.
                throttle::reserve(c, &throttle::FAILURES, &client, now)?;
                lockout::reserve(c, &view, now)
                    .map_err(|e| e.with_contact(&view.tenant.contact))?;
                if !matches {
                    // The address's reserved try stays counted: a failure. The member holds
                    // the postcard: tell them how many tries are left, and who to call.
                    return Ok(Err(
                        match lockout::failed(c, &view, "identity_mismatch", &domain, now)? {
                            Failed::Counted { warning } => ApiError::IdentityMismatch {
                                remaining_attempts: warning,
                                lock_minutes: view.tenant.lockout_minutes,
                            },
                            Failed::Locked { until } => lockout::locked(&view, until, now)
                                .with_contact(&view.tenant.contact),
                        },
                    ));
                }
                throttle::give_back(c, &throttle::FAILURES, &client, now)?;
                flow.next(Event::IdentityChecked, now)
                    .map_err(|_| ApiError::SessionRevoked)?;
                accounts::clear_failures(c, &view.account.id)?;
                stored_terms::record_acceptance(c, &view.account.id, &version, now)?;
                lockout::audit(
                    c,
                    &view,
                    "identity_checked",
                    serde_json::json!({ "terms_version": version }),
                    now,
                )?;
                Ok(Ok(()))
            })
        })
        .await??;
    state.tokens.issue(
        &session.view.account.id,
        Step::RegisterCredentials,
        session.claims.sv,
        Some(&credential.id),
        session.login_time(),
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(number: &str, birth: &str, agree: bool, version: &str) -> IdentityInput {
        IdentityInput {
            shape: Vec::new(),
            insurer_number: Some(number.into()),
            birth_date: Some(birth.into()),
            agree_to_terms: Some(agree),
            terms_version: Some(version.into()),
        }
    }

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let Err(ApiError::Validation(issues)) =
            parse(&input("1234-5678", "19790231", false, "v1"), today(), "v1")
        else {
            panic!()
        };
        let codes: Vec<(&str, &str)> = issues.iter().map(|i| (i.field.as_str(), i.code)).collect();
        assert_eq!(
            codes,
            [
                ("insurer_number", "insurer_number_is_card_symbol"),
                ("birth_date", "birth_date_invalid"),
                ("agree_to_terms", "terms_not_agreed")
            ]
        );
    }

    #[test]
    fn full_width_input_parses_and_stale_terms_are_a_conflict() {
        assert!(
            parse(
                &input("０６１３００９０", "１９７９０８２２", true, "v1"),
                today(),
                "v1"
            )
            .is_ok()
        );
        assert!(matches!(
            parse(&input("06130090", "19790822", true, "v0"), today(), "v1"),
            Err(ApiError::TermsOutdated { version }) if version == "v1"
        ));
    }
}

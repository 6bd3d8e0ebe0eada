//! Every route of `/api/v1`, in one list: the server serves it and the OpenAPI document is
//! built from it, so the two cannot differ. Each handler is a file of its own under its tag's
//! folder.

use crate::{account, auth, health, maintenance, me, onboarding, recovery, security, terms};
use crate::{medical, notices};

/// Every documented route: the served list and the documented list are one.
pub(crate) fn api_v1<T>(app: utoipa_actix_web::UtoipaApp<T>) -> utoipa_actix_web::UtoipaApp<T>
where
    T: actix_web::dev::ServiceFactory<
            actix_web::dev::ServiceRequest,
            Config = (),
            Error = actix_web::Error,
            InitError = (),
        >,
{
    app.service(
        utoipa_actix_web::scope("/api/v1")
            .service(health::health)
            .service(health::live)
            .service(maintenance::status)
            .service(auth::login::login)
            .service(auth::logout::logout)
            .service(auth::second_factor::second_factor)
            .service(auth::second_factor_email::second_factor_email)
            .service(auth::passkey::passkey_options)
            .service(auth::passkey::passkey_sign_in)
            .service(auth::session_info::session_info)
            .service(terms::public_terms)
            .service(terms::onboarding_terms)
            .service(onboarding::identity::identity)
            .service(onboarding::credentials::check)
            .service(onboarding::credentials::commit)
            .service(me::me)
            .service(account::change_password)
            .service(account::change_email)
            .service(account::notifications)
            .service(account::resend_verification)
            .service(security::security)
            .service(security::enrol_totp)
            .service(security::confirm_totp)
            .service(security::disable_totp)
            .service(security::renew_recovery_codes)
            .service(security::passkey_registration_options)
            .service(security::add_passkey)
            .service(security::remove_passkey)
            .service(security::forget_device)
            .service(security::logins)
            .service(notices::notices)
            .service(notices::notice)
            .service(medical::medical_expenses)
            .service(medical::export_medical_expenses)
            .service(recovery::forgot_user_id)
            .service(recovery::forgot_password)
            .service(recovery::verify_email),
    )
}

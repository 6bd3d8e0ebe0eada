//! What the use cases count (recorded only where the server installed a recorder; see
//! `madoguchi_api::metrics`).

use std::time::Duration;

/// One sign-in attempt and how it ended.
pub fn sign_in(outcome: &'static str) {
    metrics::counter!("madoguchi_sign_ins_total", "outcome" => outcome).increment(1);
}

/// One second-factor attempt (`method`: `totp`, `email_code`, `recovery_code`) and how it ended:
/// a rise of `wrong_code` is someone holding stolen passwords.
pub fn second_factor(method: &'static str, outcome: &'static str) {
    metrics::counter!("madoguchi_second_factors_total", "method" => method, "outcome" => outcome)
        .increment(1);
}

/// A hash job waiting (+1) or started (-1).
pub fn hash_queue(change: f64) {
    metrics::gauge!("madoguchi_hash_queue_depth").increment(change);
}

/// The time of one hash job.
pub fn hash_time(elapsed: Duration) {
    metrics::histogram!("madoguchi_hash_seconds").record(elapsed.as_secs_f64());
}

//! `/onboarding`: the first sign-in's identity check and registration.

pub mod credentials;
pub mod identity;

//! `/me/security`, `/me/totp…`, `/me/passkeys…`, `/me/recovery-codes`, `/me/devices`,
//! `/me/logins`: the member's two-step login settings (セキュリティ設定, DESIGN §9).

mod disable_totp;
mod enrol_totp;
mod forget_device;
mod logins;
mod overview;
mod passkeys;
mod recovery_codes;

pub use disable_totp::*;
pub use enrol_totp::*;
pub use forget_device::*;
pub use logins::*;
pub use overview::*;
pub use passkeys::*;
pub use recovery_codes::*;

use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::error::ApiError;
use crate::json::shape_issues;

/// The current password, asked before a factor is added or removed.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current_password": "Sakura2026x"}))]
pub struct CurrentPasswordRequest {
    #[validate(required, length(max = 256))]
    #[schema(value_type = String, required = true, max_length = 256)]
    pub current_password: Option<String>,
}

impl CurrentPasswordRequest {
    fn password(self) -> Result<String, ApiError> {
        self.validate()
            .map_err(|e| ApiError::Validation(shape_issues(&e)))?;
        Ok(self.current_password.unwrap_or_default())
    }
}

/// Recovery codes, shown once: print or copy them.
#[derive(Debug, serde::Serialize, ToSchema)]
#[schema(example = json!({"recovery_codes": ["ABCDE-FGHJK", "LMNPQ-RSTUV"]}))]
pub struct RecoveryCodesResponse {
    pub recovery_codes: Vec<String>,
}

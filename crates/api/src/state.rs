//! What every handler reaches: the use cases' services (pool, hashing, clock, availability),
//! the token keys, the configuration and the maintenance cache.

use std::ops::Deref;
use std::sync::Arc;

use madoguchi_app::{MailSettings, Services};
use madoguchi_persistence::Pool;

use crate::clock::Clock;
use crate::config::ApiConfig;
use crate::error::ApiError;
use crate::maintenance::MaintenanceCache;
use crate::tokens::Tokens;

#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    pub tokens: Tokens,
    pub config: Arc<ApiConfig>,
    pub maintenance: Arc<MaintenanceCache>,
}

impl AppState {
    pub fn new(pool: Pool, config: ApiConfig, clock: Arc<dyn Clock>) -> Result<Self, ApiError> {
        let mail = MailSettings {
            mail_domain: config.mail_domain.clone(),
            public_url: config.public_url.clone(),
        };
        Ok(Self {
            services: Services::new(pool, mail, clock, &config.jwt_secret)?,
            tokens: Tokens::new(
                &config.jwt_secret,
                config.production,
                &config.public_origin(),
            ),
            config: Arc::new(config),
            maintenance: Arc::new(MaintenanceCache::default()),
        })
    }
}

/// Handlers reach the pool, the clock and the hashes as `state.pool`, `state.clock`, ….
impl Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.services
    }
}

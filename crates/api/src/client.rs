//! The client's address for throttling: the peer address, unless the peer is a trusted
//! proxy, then the right-most address of `X-Forwarded-For` that is not a trusted proxy.
//! An IPv6 client counts per /64 (DESIGN §3): one subscriber is handed a whole /64 and can
//! pick a fresh address in it for every request.

use std::net::{IpAddr, Ipv6Addr};

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use chrono::{DateTime, Utc};

use crate::error::ApiError;
use crate::state::AppState;

/// The client's address, as the throttles count it.
pub struct ClientAddress(pub String);

impl FromRequest for ClientAddress {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match req.app_data::<web::Data<AppState>>() {
            Some(state) => Ok(Self(address(req, &state.config.trusted_proxies))),
            None => Err(ApiError::Internal(anyhow::anyhow!("no state"))),
        })
    }
}

/// The request's one `now`: read from the clock once, then the same for the session check,
/// the use case and the answer.
#[derive(Debug, Clone, Copy)]
pub struct Now(pub DateTime<Utc>);

/// The request's `now` (see [`Now`]).
pub fn now(req: &HttpRequest, state: &AppState) -> DateTime<Utc> {
    if let Some(Now(now)) = req.extensions().get::<Now>() {
        return *now;
    }
    let now = state.clock.now();
    req.extensions_mut().insert(Now(now));
    now
}

impl FromRequest for Now {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match req.app_data::<web::Data<AppState>>() {
            Some(state) => Ok(Self(now(req, state))),
            None => Err(ApiError::Internal(anyhow::anyhow!("no state"))),
        })
    }
}

pub fn address(req: &HttpRequest, trusted: &[IpAddr]) -> String {
    let peer = req.peer_addr().map(|a| a.ip());
    let Some(peer) = peer else {
        return "unknown".to_owned();
    };
    if !trusted.contains(&peer) {
        return counted(peer);
    }
    let forwarded: Vec<IpAddr> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let client = forwarded
        .into_iter()
        .rev()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer);
    counted(client)
}

/// The key an address counts under: an IPv4 address (also written IPv4-mapped) as itself,
/// an IPv6 address as its /64.
fn counted(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{}/64", Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_count_per_64_and_ipv4_as_themselves() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:1:2:3".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(counted(a), "2001:db8:1:2::/64");
        assert_eq!(counted(a), counted(b));
        assert_ne!(counted(a), counted(other));
        assert_eq!(counted("192.0.2.7".parse().unwrap()), "192.0.2.7");
        assert_eq!(counted("::ffff:192.0.2.7".parse().unwrap()), "192.0.2.7");
    }
}

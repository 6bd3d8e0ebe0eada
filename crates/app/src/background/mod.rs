//! Work that runs beside the requests: the outbox worker (sending e-mail, housekeeping) and
//! the matching of recovery requests.

pub mod outbox;
pub mod recovery;

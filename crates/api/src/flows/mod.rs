//! Flows: the only layer that coordinates I/O. Each loads through repositories, asks the
//! domain for a decision, persists the result and queues mail.

pub mod email;
pub mod identity;
pub mod lockout;
pub mod login;
pub mod password;
pub mod recovery;
pub mod register;

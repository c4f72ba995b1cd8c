pub mod cbytes;
pub mod constants;
pub mod sockaddr;

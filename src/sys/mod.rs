pub mod cbytes;
pub mod constants;
pub mod fd;
pub mod lookup;
pub mod sockaddr;
